import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import { LONGEST_TERM_DAYS, changedPeriods, sameTermKept, termProblem } from '../../src/lib/server/disputes/settings-rules';
import { periodsSchema, termSchema } from '../../src/lib/schemas/disputes-settings';
import { DEFAULT_PERIODS, type Period } from '../../src/lib/disputes/model';
import { DEFAULT_OUTCOME_PERIODS } from '../../src/lib/disputes/outcome';
import { addCalendarDays } from '../../src/lib/server/disputes/calendar';
import { expectOnly, inDistrict, person } from './policy-table';

// The dispute settings' pure parts: a term must end after it starts and overlap no term kept;
// an edit names the periods it changes; the schema keeps targets in working or school days; and
// only the district's SENDIASS officers may change its settings or pass its themes on.

const AUTUMN = { start: '2026-09-03', end: '2026-12-18' };
const SPRING = { start: '2027-01-05', end: '2027-03-26' };

describe('term validation', () => {
	it('accepts a term that ends after it starts and overlaps none kept', () => {
		expect(termProblem(SPRING, [AUTUMN])).toBeNull();
		expect(termProblem(AUTUMN, [])).toBeNull();
	});
	it('refuses a term that ends before, or on, the day it starts', () => {
		expect(termProblem({ start: '2027-01-05', end: '2027-01-04' }, [])).toMatchObject({ field: 'endsOn', message: expect.stringMatching(/after the first day/) });
		expect(termProblem({ start: '2027-01-05', end: '2027-01-05' }, [])).toMatchObject({ field: 'endsOn' });
	});
	it('refuses a term that overlaps one kept, even by a day at either end', () => {
		expect(termProblem({ start: '2026-12-18', end: '2027-01-10' }, [AUTUMN])).toMatchObject({ field: 'startsOn', message: expect.stringMatching(/overlaps the term from 2026-09-03/) });
		expect(termProblem({ start: '2026-08-01', end: '2026-09-03' }, [AUTUMN])).toMatchObject({ field: 'startsOn' });
		expect(termProblem({ start: '2026-10-01', end: '2026-10-20' }, [AUTUMN])).toMatchObject({ field: 'startsOn' });
		expect(termProblem({ start: '2026-08-20', end: '2026-12-31' }, [AUTUMN])).toMatchObject({ field: 'startsOn' });
	});
	it('refuses a term longer than a term can be (a mistyped year)', () => {
		expect(termProblem({ start: '2026-09-03', end: addCalendarDays('2026-09-03', LONGEST_TERM_DAYS) }, [])).toBeNull();
		expect(termProblem({ start: '2026-09-03', end: '2027-09-03' }, [])).toMatchObject({ field: 'endsOn', message: expect.stringMatching(/at most/) });
	});
	it('knows the same term kept again', () => {
		expect(sameTermKept(AUTUMN, [SPRING, AUTUMN])).toBe(true);
		expect(sameTermKept({ ...AUTUMN, end: '2026-12-17' }, [AUTUMN])).toBe(false);
	});
});

describe('changed periods', () => {
	it('names only the periods whose count or unit changed, with before and after', () => {
		const after = { ...DEFAULT_PERIODS, referralToMeeting: { count: 10, unit: 'working' as const }, retention: { count: 24, unit: 'calendar' as const } };
		expect(changedPeriods(DEFAULT_PERIODS, after)).toEqual([
			{ key: 'referralToMeeting', before: DEFAULT_PERIODS.referralToMeeting, after: { count: 10, unit: 'working' } },
			{ key: 'retention', before: DEFAULT_PERIODS.retention, after: { count: 24, unit: 'calendar' } }
		]);
		expect(changedPeriods(DEFAULT_PERIODS, { ...DEFAULT_PERIODS })).toEqual([]);
	});
});

const asForm = <K extends string>(periods: Record<K, Period>) => Object.fromEntries(Object.entries<Period>(periods).map(([k, p]) => [k, { count: String(p.count), unit: p.unit }]));
const input = (overrides: { periods?: Record<string, unknown>; reason?: string } = {}) => ({
	districtId: '1',
	version: '1',
	reason: overrides.reason ?? 'The reform shortened the target',
	periods: { ...asForm(DEFAULT_PERIODS), ...overrides.periods },
	outcomePeriods: asForm(DEFAULT_OUTCOME_PERIODS)
});

describe('the settings schema', () => {
	it('reads the posted text of every period', () => {
		const parsed = periodsSchema.safeParse(input({ periods: { referralToMeeting: { count: '12', unit: 'working' } } }));
		expect(parsed.success).toBe(true);
		expect(parsed.data?.periods.referralToMeeting).toEqual({ count: 12, unit: 'working' });
	});
	it('keeps the targets in working or school days, and asks why', () => {
		const months = periodsSchema.safeParse(input({ periods: { meetingToOutcome: { count: '1', unit: 'months' } } }));
		expect(months.success).toBe(false);
		expect(months.error?.issues[0]).toMatchObject({ path: ['periods', 'meetingToOutcome', 'unit'], message: 'Count this in working days or school days' });
		expect(periodsSchema.safeParse(input({ reason: ' ' })).error?.issues[0].path).toEqual(['reason']);
	});
	it('refuses a count of nothing, of text, or beyond the longest period', () => {
		for (const count of ['0', 'ten', '401']) expect(periodsSchema.safeParse(input({ periods: { referralToMeeting: { count, unit: 'school' } } })).success, count).toBe(false);
	});
	it('reads a term from a form’s date parts', () => {
		const parsed = termSchema.safeParse({ districtId: '1', startsOn: { day: '3', month: '9', year: '2026' }, endsOn: '2026-12-18' });
		expect(parsed.data).toMatchObject({ startsOn: '2026-09-03', endsOn: '2026-12-18', reason: '' });
		expect(termSchema.safeParse({ districtId: '1', startsOn: { day: '31', month: '2', year: '2026' }, endsOn: '2026-12-18' }).success).toBe(false);
	});
});

const CHERWELL = { id: 1, name: 'Cherwell' };
const PEOPLE = {
	sendiass: inDistrict(1, CHERWELL.id, 'Cherwell', 'sendiass_officer'),
	otherDistrictSendiass: inDistrict(2, 2, 'Oxford', 'sendiass_officer'),
	member: inDistrict(3, CHERWELL.id, 'Cherwell', 'panel_member'),
	head: person(6, { settingRoles: [{ settingId: 100, settingName: 'A setting', clusterId: 10, districtId: 1, role: 'headteacher' }], clusterIds: [1, 10] }),
	pcfRep: inDistrict(9, CHERWELL.id, 'Cherwell', 'pcf_rep'),
	councilOfficer: person(10, { countyRole: 'officer' }),
	admin: person(11, { countyRole: 'admin' })
};
type Who = keyof typeof PEOPLE;

const rule = (check: PolicyCheck, allowed: Who[]) => expectOnly(PEOPLE, check, allowed);

describe('who may keep the settings and pass themes on', () => {
	it('only the district’s SENDIASS officers change its targets, periods and term dates (the council’s officers do not: 11.6)', () => {
		rule({ action: 'disputes.settings.manage', district: CHERWELL }, ['sendiass']);
	});
	it('only the district’s SENDIASS officers pass its anonymised themes to the forum', () => {
		rule({ action: 'disputes.theme.pass', district: CHERWELL }, ['sendiass']);
	});
	it('nobody signed out may do either', () => {
		expect(can(null, { action: 'disputes.settings.manage', district: CHERWELL }).allowed).toBe(false);
		expect(can(null, { action: 'disputes.theme.pass', district: CHERWELL }).allowed).toBe(false);
	});
});
