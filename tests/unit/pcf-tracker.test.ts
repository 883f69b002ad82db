import { describe, expect, it } from 'vitest';
import { formatDays, periodLabel, periodStart, trackerFiltersFromQuery, trackerQuery } from '../../src/lib/pcf/tracker';
import { bankHolidaysIn, workingDaysBetween } from '../../src/lib/server/pcf/rules';

// The feedback tracker's pure parts: how a date falls into a quarter or month and is named, what a
// page address's filters mean (a representative's own district by default, "all" when chosen),
// how a median reads, and the bank holidays the SQL count of working days is given.

describe('periods', () => {
	it('puts a date in its calendar quarter or month', () => {
		expect(periodStart('quarter', '2026-11-30')).toBe('2026-10-01');
		expect(periodStart('quarter', '2026-01-01')).toBe('2026-01-01');
		expect(periodStart('quarter', '2026-03-31')).toBe('2026-01-01');
		expect(periodStart('quarter', '2026-07-15')).toBe('2026-07-01');
		expect(periodStart('month', '2026-11-30')).toBe('2026-11-01');
	});

	it('names a period in words', () => {
		expect(periodLabel('quarter', '2026-10-01')).toBe('Oct to Dec 2026');
		expect(periodLabel('quarter', '2026-04-01')).toBe('Apr to Jun 2026');
		expect(periodLabel('month', '2026-02-01')).toBe('February 2026');
	});
});

describe('filters from the address', () => {
	const read = (query: string, own: number | null = 7) => trackerFiltersFromQuery(new URLSearchParams(query), own);

	it('shows a representative their own district until they choose', () => {
		expect(read('').districtId).toBe(7);
		expect(read('district=').districtId).toBeNull();
		expect(read('district=12').districtId).toBe(12);
		expect(read('', null).districtId).toBeNull();
	});

	it('leaves out what it does not understand rather than failing', () => {
		expect(read('district=abc&theme=-1&source=gossip&period=decade')).toEqual({ districtId: null, themeId: null, source: null, period: 'quarter' });
		expect(read('theme=3&source=send_connect&period=month')).toEqual({ districtId: 7, themeId: 3, source: 'send_connect', period: 'month' });
		expect(read('district=99999999999').districtId).toBeNull();
	});

	it('writes the same filters back, keeping "all districts" as chosen', () => {
		const filters = read('district=&theme=3&source=survey&period=month');
		expect(trackerQuery(filters)).toBe('?district=&theme=3&source=survey&period=month');
		expect(trackerFiltersFromQuery(new URLSearchParams(trackerQuery(filters)), 7)).toEqual(filters);
	});
});

describe('medians in words', () => {
	it('reads nothing measured as none yet, and rounds to one place', () => {
		expect(formatDays(null)).toBe('None yet');
		expect(formatDays(1)).toBe('1 day');
		expect(formatDays(0)).toBe('0 days');
		expect(formatDays(4.25)).toBe('4.3 days');
	});
});

describe('the bank holidays given to the SQL count', () => {
	it('are England’s, for every year asked, matching the overdue rule’s working days', () => {
		const days = bankHolidaysIn(2026, 2027);
		expect(days).toContain('2026-12-25');
		expect(days).toContain('2026-12-28'); // Boxing Day's substitute
		expect(days).toContain('2027-01-01');
		expect(days).not.toContain('2026-03-17'); // St Patrick's Day is Northern Ireland's
		// After Wed 23 December 2026 up to Tue 29th: Thu 24th and Tue 29th are working days (25th and 28th are holidays).
		expect(workingDaysBetween('2026-12-23', '2026-12-29')).toBe(2);
	});
});
