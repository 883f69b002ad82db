// Dates are stored as timestamptz and always shown in UK time.
const dateTime = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	hour: 'numeric',
	minute: '2-digit',
	hour12: true
});
const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

export function formatDateTime(value: string | Date): string {
	return dateTime.format(typeof value === 'string' ? new Date(value) : value);
}

export function formatDate(value: string | Date): string {
	return date.format(typeof value === 'string' ? new Date(value) : value);
}

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
/** Money is held in whole pence; shown in pounds. */
export function formatPence(pence: number): string {
	return pounds.format(pence / 100);
}
