// Calendar dates typed by people (GOV.UK day / month / year fields) or sent by the API (YYYY-MM-DD),
// checked once here so every date field refuses the same things in the same words: blanks, parts
// that are missing or not numbers, dates that do not exist, and dates outside a sensible range.

export type DatePart = 'day' | 'month' | 'year';
export interface DateParts {
	day: string;
	month: string;
	year: string;
}

export const blankDateParts = (): DateParts => ({ day: '', month: '', year: '' });

/** A stored YYYY-MM-DD as the three fields a person edits (unpadded, as GOV.UK shows them). */
export function partsFromIso(iso: string): DateParts {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	if (!match) return blankDateParts();
	return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] };
}

export const isBlankDate = (parts: DateParts) => !parts.day.trim() && !parts.month.trim() && !parts.year.trim();

/** Today's date in the UK (where the portal's deadlines are), as YYYY-MM-DD. */
export function ukToday(now = new Date()): string {
	// en-CA formats as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** YYYY-MM-DD plus whole years (29 February lands on 1 March). */
export function addYears(iso: string, years: number): string {
	const date = new Date(`${iso}T12:00:00Z`);
	date.setUTCFullYear(date.getUTCFullYear() + years);
	return date.toISOString().slice(0, 10);
}

const lowerFirst = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

function realIso(year: number, month: number, day: number): string | null {
	const date = new Date(Date.UTC(year, month - 1, day));
	// Date.UTC maps years 0-99 to 1900-1999, and rolls 31 April over to 1 May: both are not the date typed.
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
	return date.toISOString().slice(0, 10);
}

export type DateReading = { ok: true; iso: string } | { ok: false; message: string; part: DatePart | null };

/**
 * Three typed fields as a date, with GOV.UK's error messages ("Enter the closing date", "Closing date
 * must include a month", "Closing date must be a real date"). `part` says which field to highlight
 * and link to (null: all three).
 */
export function readDateParts(parts: DateParts, label: string): DateReading {
	const day = parts.day.trim();
	const month = parts.month.trim();
	const year = parts.year.trim();
	if (!day && !month && !year) return { ok: false, message: `Enter the ${lowerFirst(label)}`, part: null };
	const missing = (['day', 'month', 'year'] as const).filter((part) => !{ day, month, year }[part]);
	if (missing.length === 2) return { ok: false, message: `${label} must include a ${missing[0]} and ${missing[1]}`, part: missing[0] };
	if (missing.length === 1) return { ok: false, message: `${label} must include a ${missing[0]}`, part: missing[0] };
	for (const [part, value] of [['day', day], ['month', month], ['year', year]] as const) {
		if (!/^\d+$/.test(value)) return { ok: false, message: `${label} must be a real date`, part };
	}
	if (year.length !== 4) return { ok: false, message: 'Year must include 4 numbers', part: 'year' };
	const iso = realIso(Number(year), Number(month), Number(day));
	if (!iso) return { ok: false, message: `${label} must be a real date`, part: null };
	return { ok: true, iso };
}

/** A YYYY-MM-DD string from the API, with the same messages as the typed fields. */
export function readIsoDate(value: string, label: string): DateReading {
	const trimmed = value.trim();
	if (!trimmed) return { ok: false, message: `Enter the ${lowerFirst(label)}`, part: null };
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
	const iso = match ? realIso(Number(match[1]), Number(match[2]), Number(match[3])) : null;
	return iso ? { ok: true, iso } : { ok: false, message: `${label} must be a real date, like 2027-03-31`, part: null };
}

export interface DateRange {
	/** 'future': after today; 'todayOrLater': today or after. */
	from?: 'future' | 'todayOrLater';
	/** At most this many years after today: a typo like 9999 is refused, not stored. */
	withinYears: number;
}

/** Why a real date is outside the range, in words naming the field, or null when it is fine. */
export function dateRangeProblem(iso: string, label: string, range: DateRange, today = ukToday()): string | null {
	if (range.from === 'future' && iso <= today) return `${label} must be in the future`;
	if (range.from === 'todayOrLater' && iso < today) return `${label} must be today or in the future`;
	const latest = addYears(today, range.withinYears);
	if (iso > latest) return `${label} must be within ${range.withinYears} year${range.withinYears === 1 ? '' : 's'} of today`;
	return null;
}

/** The three posted fields of a date input named `name`. */
export function datePartsOf(read: (name: string) => string, name: string): DateParts {
	return { day: read(`${name}-day`), month: read(`${name}-month`), year: read(`${name}-year`) };
}

/**
 * The input id an error about `part` links to: the day field carries the date's own id, so an error
 * about the whole date (or its day) lands there; a missing month or year links to that field.
 */
export const datePartId = (id: string, part: DatePart | null | undefined) => (part === 'month' || part === 'year' ? `${id}-${part}` : id);

/** The date's error among a form's errors (keyed by input id), and which part it is about. */
export function dateError(errors: Record<string, string[] | undefined>, id: string): { error?: string; errorPart: DatePart | null } {
	for (const part of ['month', 'year'] as const) {
		const message = errors[datePartId(id, part)]?.[0];
		if (message) return { error: message, errorPart: part };
	}
	return { error: errors[id]?.[0], errorPart: null };
}

/** The instant a UK day (YYYY-MM-DD) starts in Europe/London: a round opens at the start of its first day. */
export function ukDayStart(isoDate: string): Date {
	// Europe/London is UTC+0 or UTC+1; find the offset at noon that day and apply it at midnight.
	const noon = new Date(`${isoDate}T12:00:00Z`);
	const hourInLondon = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hour12: false }).format(noon));
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) - (hourInLondon - 12) * 3_600_000);
}

/** The instant a UK day ends (the next one starts): a round closes at the end of its last day. */
export function ukDayEnd(isoDate: string): Date {
	const next = new Date(`${isoDate}T00:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	return ukDayStart(next.toISOString().slice(0, 10));
}
