import { describe, expect, it } from 'vitest';
import { closingProblem, earliestClosing, inSchoolHoliday, meetingProblem } from '../../src/lib/server/pcf/closing';
import { districtCalendar } from '../../src/lib/server/disputes/calendar';

// The closing-date rule of a consultation: a minimum period in working days (England's bank
// holidays from the shared disputes calendar), school holidays (gaps between kept terms) neither
// counted nor closed in when the district avoids them.

const TERMS = [
	{ start: '2026-09-03', end: '2026-12-18' },
	{ start: '2027-01-05', end: '2027-03-25' }
];
const noTerms = districtCalendar([], [2026, 2027]);
const withTerms = districtCalendar(TERMS, [2026, 2027]);
const plain = { minDays: 5, avoidHolidays: false };
const avoiding = { minDays: 5, avoidHolidays: true };

describe('the earliest closing date', () => {
	it('counts working days after the opening day, skipping weekends', () => {
		expect(earliestClosing('2026-12-01', plain, noTerms)).toBe('2026-12-08');
	});

	it('skips Christmas, the substitute Boxing Day and New Year’s Day', () => {
		expect(earliestClosing('2026-12-22', plain, noTerms)).toBe('2026-12-31');
		expect(earliestClosing('2026-12-22', { minDays: 6, avoidHolidays: false }, noTerms)).toBe('2027-01-04');
	});

	it('does not count school holiday days when the district avoids them', () => {
		expect(earliestClosing('2026-12-15', plain, withTerms)).toBe('2026-12-22');
		expect(earliestClosing('2026-12-15', avoiding, withTerms)).toBe('2027-01-06');
	});
});

describe('a closing date refused, with the date to suggest', () => {
	it('refuses a period shorter than the minimum, suggesting the earliest date', () => {
		expect(closingProblem('2026-12-01', '2026-12-07', plain, noTerms)).toEqual({ message: expect.stringMatching(/at least 5 working days.*8 December 2026/), earliest: '2026-12-08' });
		expect(closingProblem('2026-12-01', '2026-12-08', plain, noTerms)).toBeNull();
	});

	it('refuses a weekend or a bank holiday, suggesting the next working day', () => {
		expect(closingProblem('2026-12-01', '2026-12-12', plain, noTerms)).toEqual({ message: expect.stringMatching(/working day/), earliest: '2026-12-14' });
		expect(closingProblem('2026-11-02', '2026-12-28', plain, noTerms)).toEqual({ message: expect.stringMatching(/bank holiday/), earliest: '2026-12-29' });
	});

	it('refuses a school holiday only when the district avoids them', () => {
		expect(closingProblem('2026-11-02', '2026-12-22', avoiding, withTerms)).toEqual({ message: expect.stringMatching(/school holiday/), earliest: '2027-01-05' });
		expect(closingProblem('2026-11-02', '2026-12-22', plain, withTerms)).toBeNull();
		expect(closingProblem('2026-11-02', '2027-01-05', avoiding, withTerms)).toBeNull();
	});

	it('assumes no holiday outside the terms kept', () => {
		expect(inSchoolHoliday('2027-08-10', TERMS)).toBe(false);
		expect(inSchoolHoliday('2026-12-24', TERMS)).toBe(true);
		expect(inSchoolHoliday('2026-12-18', TERMS)).toBe(false);
		expect(closingProblem('2027-06-01', '2027-08-10', avoiding, withTerms)).toBeNull();
	});

	it('asks an extension for a later date than the current one', () => {
		expect(closingProblem('2026-12-01', '2026-12-08', plain, noTerms, '2026-12-08')).toEqual({ message: expect.stringMatching(/after 8 December 2026/), earliest: '2026-12-09' });
		expect(closingProblem('2026-12-01', '2026-12-10', plain, noTerms, '2026-12-08')).toBeNull();
	});
});

describe('a steering group decision item’s meeting date', () => {
	it('must come after the closing date, so the forum’s advice closes before the meeting', () => {
		expect(meetingProblem('2027-01-06', '2027-01-07')).toBeNull();
		expect(meetingProblem('2027-01-06', '2027-03-01')).toBeNull();
	});

	it('is refused on the closing day itself or before it, naming the closing date', () => {
		expect(meetingProblem('2027-01-06', '2027-01-06')).toMatch(/must meet after the forum’s advice closes on 6 January 2027/);
		expect(meetingProblem('2027-01-06', '2026-12-20')).toMatch(/6 January 2027/);
	});
});
