import { describe, expect, it } from 'vitest';
import { dateError, dateRangeProblem, partsFromIso, readDateParts, readIsoDate, ukToday } from '../../src/lib/dates';
import { ukDate } from '../../src/lib/schemas/dates';

const parts = (day: string, month: string, year: string) => ({ day, month, year });

describe('reading a GOV.UK day / month / year date', () => {
	it('reads a real date, with or without leading zeros and spaces', () => {
		expect(readDateParts(parts('31', '3', '2027'), 'Closing date')).toEqual({ ok: true, iso: '2027-03-31' });
		expect(readDateParts(parts(' 07 ', '03', '2027'), 'Closing date')).toEqual({ ok: true, iso: '2027-03-07' });
		expect(readDateParts(parts('29', '2', '2028'), 'Closing date')).toEqual({ ok: true, iso: '2028-02-29' });
	});

	it('says what is missing, naming the field, and which part to mark', () => {
		expect(readDateParts(parts('', '', ''), 'Closing date')).toEqual({ ok: false, message: 'Enter the closing date', part: null });
		expect(readDateParts(parts('1', '', '2027'), 'Closing date')).toEqual({ ok: false, message: 'Closing date must include a month', part: 'month' });
		expect(readDateParts(parts('', '', '2027'), 'Due date')).toEqual({ ok: false, message: 'Due date must include a day and month', part: 'day' });
		expect(readDateParts(parts('1', '2', ''), 'Due date')).toMatchObject({ message: 'Due date must include a year', part: 'year' });
	});

	it('refuses dates that do not exist and years that are not four numbers', () => {
		for (const [day, month, year] of [['31', '4', '2027'], ['29', '2', '2027'], ['0', '1', '2027'], ['1', '13', '2027'], ['x', '1', '2027'], ['1', '1', '20.7']]) {
			expect(readDateParts(parts(day, month, year), 'Closing date'), `${day}/${month}/${year}`).toMatchObject({ ok: false, message: expect.stringMatching(/^Closing date must be a real date|^Year must include 4 numbers/) });
		}
		expect(readDateParts(parts('1', '1', '27'), 'Closing date')).toEqual({ ok: false, message: 'Year must include 4 numbers', part: 'year' });
		expect(readDateParts(parts('1', '1', '0099'), 'Closing date')).toMatchObject({ ok: false, message: 'Closing date must be a real date' });
	});

	it('reads the API’s YYYY-MM-DD the same way', () => {
		expect(readIsoDate('2027-03-31', 'Opening date')).toEqual({ ok: true, iso: '2027-03-31' });
		expect(readIsoDate('2027-02-30', 'Opening date')).toMatchObject({ ok: false, message: expect.stringMatching(/^Opening date must be a real date/) });
		expect(readIsoDate('31/03/2027', 'Opening date')).toMatchObject({ ok: false });
		expect(readIsoDate('', 'Opening date')).toMatchObject({ ok: false, message: 'Enter the opening date' });
		expect(partsFromIso('2027-03-07')).toEqual(parts('7', '3', '2027'));
	});
});

describe('date ranges', () => {
	const today = '2026-11-30';
	it('refuses past, today (when it must be in the future) and far-off dates', () => {
		expect(dateRangeProblem('2026-11-29', 'Closing date', { from: 'future', withinYears: 2 }, today)).toBe('Closing date must be in the future');
		expect(dateRangeProblem('2026-11-30', 'Closing date', { from: 'future', withinYears: 2 }, today)).toBe('Closing date must be in the future');
		expect(dateRangeProblem('2026-12-01', 'Closing date', { from: 'future', withinYears: 2 }, today)).toBeNull();
		expect(dateRangeProblem('2026-11-30', 'Opening date', { from: 'todayOrLater', withinYears: 1 }, today)).toBeNull();
		expect(dateRangeProblem('2020-06-30', 'Due date', { from: 'todayOrLater', withinYears: 5 }, today)).toBe('Due date must be today or in the future');
		expect(dateRangeProblem('9999-12-30', 'Closing date', { from: 'future', withinYears: 2 }, today)).toBe('Closing date must be within 2 years of today');
		expect(dateRangeProblem('2028-11-30', 'Closing date', { from: 'future', withinYears: 2 }, today)).toBeNull();
	});

	it('counts today in the UK, not in UTC', () => {
		// 23:30 UTC on 30 June is already 1 July in London (BST).
		expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
		expect(ukToday(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11-30');
	});

	it('a schema date field puts a part’s issue on that part, so the form links to it', () => {
		const field = ukDate('Closing date', { from: 'future', withinYears: 2 });
		const result = field.safeParse(parts('1', '', '2027'));
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]).toMatchObject({ path: ['month'], message: 'Closing date must include a month' });
		expect(field.safeParse('0000-01-01').success).toBe(false);
		expect(field.safeParse(42).success).toBe(false);
	});

	it('finds a date’s error among a form’s errors, by part', () => {
		expect(dateError({ 'round-closesOn-month': ['Closing date must include a month'] }, 'round-closesOn')).toEqual({
			error: 'Closing date must include a month',
			errorPart: 'month'
		});
		expect(dateError({ 'round-closesOn': ['Enter the closing date'] }, 'round-closesOn')).toEqual({ error: 'Enter the closing date', errorPart: null });
		expect(dateError({}, 'round-closesOn')).toEqual({ error: undefined, errorPart: null });
	});
});
