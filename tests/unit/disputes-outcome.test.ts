import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTCOME_PERIODS } from '../../src/lib/disputes/outcome';
import { districtCalendar } from '../../src/lib/server/disputes/calendar';
import { anonymiseFrom, anonymisedDetail, escalationRoute, escalationSteps, flagLevel, followUpDate, retentionBlock } from '../../src/lib/server/disputes/outcome-rules';

// After a panel meets: the escalation route keyed on who the disagreement is with, its dates
// counted in the district's working and school days from the periods it keeps, the flags, when a
// closed case may be anonymised, and what anonymising keeps of an audit entry.

const calendar = districtCalendar(
	[
		{ start: '2026-09-02', end: '2026-10-23' },
		{ start: '2026-11-02', end: '2026-12-18' },
		{ start: '2027-01-05', end: '2027-02-12' }
	],
	[2026, 2027, 2028]
);
const periods = DEFAULT_OUTCOME_PERIODS;

describe('the escalation route', () => {
	it('is keyed on who the disagreement is with, and an EHC matter always goes to mediation and the Tribunal', () => {
		expect(escalationRoute('maintained_school', 'sen_support')).toBe('school');
		expect(escalationRoute('academy', 'communication')).toBe('academy');
		expect(escalationRoute('fe_college', 'reasonable_adjustments')).toBe('academy');
		expect(escalationRoute('council', 'sen_support')).toBe('council');
		expect(escalationRoute('council', 'plan_delivery')).toBe('ehc');
		expect(escalationRoute('maintained_school', 'ehc_decision')).toBe('ehc');
		expect(escalationRoute('health', 'other')).toBe('health');
	});

	it('counts a school’s complaint and its governing board in school days, across the Christmas holiday', () => {
		expect(escalationSteps('school', '2026-11-16', periods, calendar)).toEqual([
			{ key: 'setting_complaint', what: expect.stringContaining('complaints procedure'), due: '2026-12-07' },
			{ key: 'board_complaint', what: expect.stringContaining('governing board'), due: '2027-01-19' }
		]);
	});

	it('adds the Department for Education for an academy, counted in months from the trust’s panel', () => {
		const steps = escalationSteps('academy', '2026-11-16', periods, calendar);
		expect(steps.map((s) => [s.key, s.due])).toEqual([
			['setting_complaint', '2026-12-07'],
			['board_complaint', '2027-01-19'],
			['dfe_complaint', '2027-04-19']
		]);
	});

	it('counts the council’s complaint in working days over Christmas and New Year bank holidays, then the Ombudsman in months', () => {
		expect(escalationSteps('council', '2026-12-21', periods, calendar).map((s) => [s.key, s.due])).toEqual([
			['council_complaint', '2027-01-21'],
			['ombudsman', '2028-01-21']
		]);
	});

	it('sends an EHC matter to a mediation adviser then the Tribunal, month ends clamped', () => {
		expect(escalationSteps('ehc', '2026-12-31', periods, calendar).map((s) => [s.key, s.due])).toEqual([
			['mediation_adviser', '2027-02-28'],
			['tribunal_appeal', '2027-03-28']
		]);
	});

	it('takes every period from the district’s settings, not from the code', () => {
		const changed = { ...periods, settingComplaint: { count: 10, unit: 'working' as const }, boardComplaint: { count: 1, unit: 'months' as const } };
		expect(escalationSteps('school', '2026-11-16', changed, calendar).map((s) => s.due)).toEqual(['2026-11-30', '2026-12-30']);
		expect(followUpDate('2026-11-16', { ...periods, followUp: { count: 5, unit: 'working' } }, calendar)).toBe('2026-11-23');
	});

	it('refuses to count school days past the last term kept rather than guess', () => {
		expect(() => escalationSteps('school', '2027-02-01', periods, calendar)).toThrow();
	});
});

describe('flags', () => {
	it('flags a target as approaching within the warning, past once gone, and leaves a distant one alone', () => {
		expect(flagLevel('2026-11-20', '2026-11-16', periods, calendar)).toBe('approaching');
		expect(flagLevel('2026-11-20', '2026-11-10', periods, calendar)).toBeNull();
		expect(flagLevel('2026-11-20', '2026-11-20', periods, calendar)).toBe('approaching');
		expect(flagLevel('2026-11-20', '2026-11-21', periods, calendar)).toBe('past');
	});
});

describe('retention', () => {
	const retention = { count: 24, unit: 'months' as const };
	const closed = { status: 'closed', endedOn: '2024-11-30', legalHold: null, anonymised: false };

	it('anonymises a closed or withdrawn case from the end of its retention period, not a day before', () => {
		expect(anonymiseFrom('2024-11-30', retention)).toBe('2026-11-30');
		expect(retentionBlock(closed, '2026-11-29', retention)).toBe('Still within the retention period');
		expect(retentionBlock(closed, '2026-11-30', retention)).toBeNull();
		expect(retentionBlock({ ...closed, status: 'withdrawn' }, '2026-12-01', retention)).toBeNull();
		expect(anonymiseFrom('2026-01-01', { count: 90, unit: 'working' })).toBe('2026-04-01');
	});

	it('keeps a held, open or already anonymised case', () => {
		expect(retentionBlock({ ...closed, legalHold: 'ombudsman' }, '2027-06-01', retention)).toBe('A legal hold stands');
		expect(retentionBlock({ ...closed, status: 'outcome' }, '2027-06-01', retention)).toBe('Still open');
		expect(retentionBlock({ ...closed, anonymised: true }, '2027-06-01', retention)).toBe('Already anonymised');
	});

	it('keeps only the summary, figures and codes of an audit entry’s detail', () => {
		const detail = {
			summary: 'Recorded the outcome of DR-CHE-0001: not resolved',
			result: 'not_resolved',
			rating: 4,
			party: 'family',
			route: 'Mrs Jane Smith, 07700 900123',
			comment: 'She said the SENCO was unhelpful',
			name: 'Jane Smith',
			escalation: [{ key: 'ombudsman', due: '2027-01-01' }]
		};
		expect(anonymisedDetail(detail)).toEqual({ summary: 'Recorded the outcome of DR-CHE-0001: not resolved', result: 'not_resolved', rating: 4, party: 'family' });
	});
});
