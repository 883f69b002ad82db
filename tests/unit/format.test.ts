import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatPence, formatTime } from '../../src/lib/format';
import { bidStatusLabel } from '../../src/lib/bids/model';

describe('GOV.UK style for money, dates and times', () => {
	it('shows money without pence when it is whole', () => {
		expect(formatPence(6_000_000)).toBe('£60,000');
		expect(formatPence(0)).toBe('£0');
		expect(formatPence(125_050)).toBe('£1,250.50');
		expect(formatPence(99_905)).toBe('£999.05');
	});

	it('shows times as 10:37pm, 9am, midday and midnight, in UK time', () => {
		expect(formatTime('2026-11-30T22:37:00Z')).toBe('10:37pm');
		expect(formatTime('2026-11-30T09:00:00Z')).toBe('9am');
		expect(formatTime('2026-11-30T12:00:00Z')).toBe('midday');
		expect(formatTime('2026-11-30T00:00:00Z')).toBe('midnight');
		expect(formatTime('2026-11-30T00:05:00Z')).toBe('12:05am');
		// British Summer Time: 21:37 UTC is 10:37pm in London.
		expect(formatTime('2026-07-01T21:37:00Z')).toBe('10:37pm');
	});

	it('shows dates as 30 November 2026, and both as a time on a date', () => {
		expect(formatDate('2026-11-30T12:00:00Z')).toBe('30 November 2026');
		expect(formatDateTime('2026-11-30T22:37:00Z')).toBe('10:37pm on 30 November 2026');
		// Late evening UTC in summer is the next day in London.
		expect(formatDateTime('2026-06-30T23:30:00Z')).toBe('12:30am on 1 July 2026');
	});
});

describe('a bid’s status in words', () => {
	it('a draft that was submitted before says it was returned for changes, never “Draft”', () => {
		expect(bidStatusLabel('draft', 0)).toBe('Draft');
		expect(bidStatusLabel('draft', 2)).toBe('Returned for changes');
		expect(bidStatusLabel('review', 1)).toBe('With council officers');
		expect(bidStatusLabel('constructor', 0)).toBe('constructor');
	});
});
