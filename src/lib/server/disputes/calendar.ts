import Holidays from 'date-holidays';
import type { DayKind, Period } from '$lib/disputes/model';

// Counting days the way the Code of Practice and the exclusion guidance do. Periods run over
// calendar dates in England (YYYY-MM-DD), never over instants, so a clock change cannot move a
// deadline by a day; instants are turned into a London date at the edges (`londonDate`), and a
// deadline ends at the close of its London day (`endOfLondonDay`), whatever the offset that day.

/** Term dates officers keep: the first and last school day of each term (inclusive). */
export interface Term {
	start: string;
	end: string;
}

/** What counting needs: bank holidays (any extra closures) and the district's terms. */
export interface DisputeCalendar {
	holidays: ReadonlySet<string>;
	terms: readonly Term[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function asUtcNoon(iso: string): Date {
	if (!ISO_DATE.test(iso)) throw new Error(`Not a date: ${iso}`);
	return new Date(`${iso}T12:00:00Z`);
}

const isoOf = (date: Date) => date.toISOString().slice(0, 10);

/** The date n calendar days after (or before) a date. */
export function addCalendarDays(iso: string, days: number): string {
	const date = asUtcNoon(iso);
	date.setUTCDate(date.getUTCDate() + days);
	return isoOf(date);
}

/**
 * The date n calendar months after a date; a day the month does not have becomes its last day
 * (31 December + 2 months is 28 or 29 February), as a person counting on a calendar would.
 */
export function addMonths(iso: string, months: number): string {
	const date = asUtcNoon(iso);
	const day = date.getUTCDate();
	date.setUTCDate(1);
	date.setUTCMonth(date.getUTCMonth() + months);
	const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
	date.setUTCDate(Math.min(day, lastDay));
	return isoOf(date);
}

const isWeekend = (iso: string) => {
	const day = asUtcNoon(iso).getUTCDay();
	return day === 0 || day === 6;
};

export const isWorkingDay = (iso: string, calendar: DisputeCalendar) => !isWeekend(iso) && !calendar.holidays.has(iso);

/** A working day inside one of the district's terms. */
export const isSchoolDay = (iso: string, calendar: DisputeCalendar) =>
	isWorkingDay(iso, calendar) && calendar.terms.some((term) => term.start <= iso && iso <= term.end);

function counts(kind: DayKind, calendar: DisputeCalendar): (iso: string) => boolean {
	if (kind === 'working') return (iso) => isWorkingDay(iso, calendar);
	if (kind === 'school') return (iso) => isSchoolDay(iso, calendar);
	return () => true;
}

/** How far a school-day count may look for its next term before saying the terms are not kept. */
const SEARCH_LIMIT_DAYS = 800;

/**
 * The nth day of a kind after a date: "within 15 school days of the letter" ends on the 15th school
 * day after the letter's date (the letter's own day does not count). Refuses when the terms kept
 * run out before the count does, rather than inventing a term.
 */
export function addDays(iso: string, count: number, kind: DayKind, calendar: DisputeCalendar): string {
	if (kind === 'calendar') return addCalendarDays(iso, count);
	const countsHere = counts(kind, calendar);
	let date = iso;
	let left = count;
	for (let step = 0; left > 0; step++) {
		if (step > SEARCH_LIMIT_DAYS + count * 7) throw new Error(`The term dates kept end before ${count} school days after ${iso}.`);
		date = addCalendarDays(date, 1);
		if (countsHere(date)) left--;
	}
	return date;
}

/** The end of a period from a date: months on the calendar, days by their kind. */
export function endOfPeriod(iso: string, period: Period, calendar: DisputeCalendar): string {
	return period.unit === 'months' ? addMonths(iso, period.count) : addDays(iso, period.count, period.unit, calendar);
}

/**
 * Days of a kind from one date to another: those after `from` up to and including `to` (so a
 * deadline due tomorrow is 1 day away); negative when `to` has passed.
 */
export function daysBetween(from: string, to: string, kind: DayKind, calendar: DisputeCalendar): number {
	if (from === to) return 0;
	const [start, end, sign] = from < to ? [from, to, 1] : [to, from, -1];
	const countsHere = counts(kind, calendar);
	let total = 0;
	for (let date = addCalendarDays(start, 1); date <= end; date = addCalendarDays(date, 1)) if (countsHere(date)) total++;
	return sign * total;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The date in London at an instant (a referral made at 00:30 BST on 25 October is that day's). */
export const londonDate = (instant: Date): string => LONDON_DATE.format(instant);

/** London's offset from UTC at an instant, in minutes (0 in winter, 60 in summer). */
function londonOffsetMinutes(instant: Date): number {
	const parts = Object.fromEntries(LONDON_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
	const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
	return Math.round((asUtc - instant.getTime()) / 60_000);
}

/** The last moment of a London date (23:59:59.999 there), as an instant, on either side of a clock change. */
export function endOfLondonDay(iso: string): Date {
	const nextMidnightAsUtc = Date.parse(`${addCalendarDays(iso, 1)}T00:00:00Z`);
	// The offset just before the next midnight is the one that day ends in.
	const offset = londonOffsetMinutes(new Date(nextMidnightAsUtc - 60 * 60_000));
	return new Date(nextMidnightAsUtc - offset * 60_000 - 1);
}

const bankHolidayYears = new Map<number, string[]>();

/**
 * England and Wales bank holidays for a year, from the `date-holidays` data shipped with the app
 * (substitute days included; no network). England's and Wales's are the same days.
 */
export function bankHolidays(year: number): string[] {
	let days = bankHolidayYears.get(year);
	if (!days) {
		const england = new Holidays('GB', 'ENG');
		days = england
			.getHolidays(year)
			.filter((holiday) => holiday.type === 'public')
			.map((holiday) => holiday.date.slice(0, 10));
		bankHolidayYears.set(year, days);
	}
	return days;
}

/** A district's calendar for the years given: bank holidays and the terms its officers keep. */
export function districtCalendar(terms: readonly Term[], years: readonly number[], closures: readonly string[] = []): DisputeCalendar {
	return { holidays: new Set([...years.flatMap(bankHolidays), ...closures]), terms };
}
