import { describe, expect, it } from 'vitest';
import {
	addDays,
	addMonths,
	bankHolidays,
	daysBetween,
	districtCalendar,
	endOfLondonDay,
	isSchoolDay,
	londonDate,
	type Term
} from '../../src/lib/server/disputes/calendar';

// Counting days as the statutory guidance does, over England and Wales bank holidays (from the
// date-holidays data shipped with the app), the terms officers keep, and both clock changes.

const TERMS: Term[] = [
	{ start: '2026-02-23', end: '2026-03-27' },
	{ start: '2026-04-13', end: '2026-05-22' },
	{ start: '2026-09-02', end: '2026-10-23' },
	{ start: '2026-11-02', end: '2026-12-18' }
];
const calendar = districtCalendar(TERMS, [2026, 2027]);

describe('bank holidays', () => {
	it('are England and Wales’s public holidays, substitute days included, observances not', () => {
		const days = bankHolidays(2026);
		expect(days).toContain('2026-04-03');
		expect(days).toContain('2026-04-06');
		expect(days).toContain('2026-08-31');
		expect(days).toContain('2026-12-28');
		expect(days).not.toContain('2026-03-15');
		expect(days).not.toContain('2026-04-05');
	});
});

describe('working days', () => {
	it('skip Good Friday, Easter Monday and the weekend between', () => {
		expect(addDays('2026-04-01', 3, 'working', calendar)).toBe('2026-04-08');
		expect(daysBetween('2026-04-01', '2026-04-08', 'working', calendar)).toBe(3);
		expect(daysBetween('2026-04-08', '2026-04-01', 'working', calendar)).toBe(-3);
	});

	it('skip Christmas, the weekend and Boxing Day’s substitute day', () => {
		expect(addDays('2026-12-24', 1, 'working', calendar)).toBe('2026-12-29');
	});

	it('do not count the day the period starts from', () => {
		expect(addDays('2026-06-01', 1, 'working', calendar)).toBe('2026-06-02');
		expect(daysBetween('2026-06-01', '2026-06-01', 'working', calendar)).toBe(0);
	});

	it('count calendar days when the period says so', () => {
		expect(addDays('2026-12-24', 30, 'calendar', calendar)).toBe('2027-01-23');
	});
});

describe('school days', () => {
	it('count only term-time working days, across October half term and the autumn clock change', () => {
		expect(isSchoolDay('2026-10-26', calendar)).toBe(false);
		expect(isSchoolDay('2026-11-02', calendar)).toBe(true);
		expect(addDays('2026-10-14', 15, 'school', calendar)).toBe('2026-11-11');
	});

	it('count across the Easter holidays and the spring clock change', () => {
		expect(addDays('2026-03-20', 15, 'school', calendar)).toBe('2026-04-24');
		expect(daysBetween('2026-03-20', '2026-04-24', 'school', calendar)).toBe(15);
	});

	it('refuse to count past the last term kept rather than invent one', () => {
		expect(() => addDays('2026-12-10', 15, 'school', calendar)).toThrow(/term dates kept end/);
	});

	it('follow the terms officers keep, not a built-in year', () => {
		const longerAutumn = districtCalendar([{ start: '2026-09-02', end: '2026-11-20' }], [2026]);
		expect(addDays('2026-10-14', 15, 'school', longerAutumn)).toBe('2026-11-04');
	});
});

describe('months', () => {
	it('land on the same day, or the month’s last day when it has no such day', () => {
		expect(addMonths('2026-03-15', 2)).toBe('2026-05-15');
		expect(addMonths('2026-12-31', 2)).toBe('2027-02-28');
		expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
		expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
	});
});

describe('London dates and the clock changes', () => {
	it('take an instant’s date in London, in summer time and out of it', () => {
		expect(londonDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
		expect(londonDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
		expect(londonDate(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-28');
		expect(londonDate(new Date('2026-03-29T23:30:00Z'))).toBe('2026-03-30');
	});

	it('end a deadline’s day at midnight London time on both sides of each change', () => {
		expect(endOfLondonDay('2026-03-28').toISOString()).toBe('2026-03-28T23:59:59.999Z');
		expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z');
		expect(endOfLondonDay('2026-10-24').toISOString()).toBe('2026-10-24T22:59:59.999Z');
		expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z');
	});
});
