// Dates are stored as timestamptz and always shown in UK time, in GOV.UK style: "30 November 2026",
// "10:37pm", "midday", "£60,000" (pence only when there are some: "£1,250.50").
const london = { timeZone: 'Europe/London' } as const;
const date = new Intl.DateTimeFormat('en-GB', { ...london, day: 'numeric', month: 'long', year: 'numeric' });
const clock = new Intl.DateTimeFormat('en-GB', { ...london, hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });

const asDate = (value: string | Date) => (typeof value === 'string' ? new Date(value) : value);

/** "10:37pm", "9am", "midday", "midnight" (GOV.UK style guide), in UK time. */
export function formatTime(value: string | Date): string {
	const parts = clock.formatToParts(asDate(value));
	const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
	const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
	if (minute === '00' && hour === 12) return 'midday';
	if (minute === '00' && hour === 0) return 'midnight';
	const twelve = hour % 12 === 0 ? 12 : hour % 12;
	return `${twelve}${minute === '00' ? '' : `:${minute}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** "30 November 2026" in UK time. */
export function formatDate(value: string | Date): string {
	return date.format(asDate(value));
}

/** "10:37pm on 30 November 2026" in UK time. */
export function formatDateTime(value: string | Date): string {
	const when = asDate(value);
	return `${formatTime(when)} on ${formatDate(when)}`;
}

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const wholePounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 0 });
/** Money is held in whole pence; shown in pounds, with pence only when there are some. */
export function formatPence(pence: number): string {
	return pence % 100 === 0 ? wholePounds.format(pence / 100) : pounds.format(pence / 100);
}
