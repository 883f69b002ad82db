import { addCalendarDays, isWorkingDay, type DisputeCalendar, type Term } from '../disputes/calendar';
import { formatDate } from '$lib/format';

// When a consultation may close: at least the district's minimum period after it opens, counted in
// working days (weekends and England's bank holidays do not count), and, where the district avoids
// school holidays, neither counting a day of a school holiday nor closing in one. A school holiday
// is a gap between two of the terms the district keeps; outside the terms kept nothing is assumed.
// The calendar (bank holidays, terms) is the disputes calendar, read by `calendarAround`.

export interface ClosingRule {
	/** The shortest period, in working days after the opening date. */
	minDays: number;
	avoidHolidays: boolean;
}

/** A date between two kept terms and in neither: a school holiday. */
export function inSchoolHoliday(iso: string, terms: readonly Term[]): boolean {
	if (terms.some((t) => t.start <= iso && iso <= t.end)) return false;
	return terms.some((t) => t.end < iso) && terms.some((t) => t.start > iso);
}

const counts = (iso: string, calendar: DisputeCalendar, rule: ClosingRule) =>
	isWorkingDay(iso, calendar) && !(rule.avoidHolidays && inSchoolHoliday(iso, calendar.terms));

/** The earliest date a consultation opening on `opensOn` may close. */
export function earliestClosing(opensOn: string, rule: ClosingRule, calendar: DisputeCalendar): string {
	let date = opensOn;
	for (let left = rule.minDays; left > 0; ) {
		date = addCalendarDays(date, 1);
		if (counts(date, calendar, rule)) left -= 1;
	}
	return date;
}

export type ClosingProblem = { message: string; earliest: string } | null;

const long = (iso: string) => formatDate(`${iso}T12:00:00Z`);

/**
 * Why a closing date is refused (with the earliest allowed date to suggest), or null. An extension
 * passes `notBefore` (the current closing date): the new date must be later, and still a date the
 * rule allows, though the minimum period is already met.
 */
export function closingProblem(opensOn: string, closesOn: string, rule: ClosingRule, calendar: DisputeCalendar, notBefore: string | null = null): ClosingProblem {
	let earliest = earliestClosing(opensOn, rule, calendar);
	if (notBefore !== null && earliest <= notBefore) {
		earliest = addCalendarDays(notBefore, 1);
		while (!counts(earliest, calendar, rule)) earliest = addCalendarDays(earliest, 1);
	}
	if (closesOn < earliest) {
		const why = notBefore !== null && closesOn <= notBefore ? `The new closing date must be after ${long(notBefore)}` : `A consultation must run for at least ${rule.minDays} working days`;
		return { message: `${why}: the earliest closing date is ${long(earliest)}`, earliest };
	}
	// A later date on a closed day: suggest the next day it may close.
	let next = closesOn;
	while (!counts(next, calendar, rule)) next = addCalendarDays(next, 1);
	if (!isWorkingDay(closesOn, calendar)) return { message: `The closing date must be a working day, not a weekend or bank holiday: try ${long(next)}`, earliest: next };
	if (rule.avoidHolidays && inSchoolHoliday(closesOn, calendar.terms)) {
		return { message: `The closing date falls in a school holiday, when families are away: the first school day after it is ${long(next)}`, earliest: next };
	}
	return null;
}

/**
 * Why a steering group decision item's meeting date is refused, or null: the forum's advice closes
 * before the meeting that decides the item, so the steering group has it in front of it, and so
 * the meeting must be after the closing date (the closing date itself follows the district's rule).
 */
export function meetingProblem(closesOn: string, meetingOn: string): string | null {
	return meetingOn > closesOn ? null : `The steering group must meet after the forum’s advice closes on ${long(closesOn)}: choose a meeting date after it, or an earlier closing date`;
}
