import { describe, expect, it } from 'vitest';
import { DEFAULT_PERIODS, DEFAULT_QUORUM, type Answer, type DisputePeriods } from '../../src/lib/disputes/model';
import { districtCalendar } from '../../src/lib/server/disputes/calendar';
import {
	bookingProblem,
	eligibility,
	quorum,
	rankSlots,
	statutoryDeadlines,
	triage,
	tribunalDeadline,
	type CaseConflicts,
	type PoolMember
} from '../../src/lib/server/disputes/rules';

// Triage, deadlines, who may sit, quorum and slot ranking: every period and the quorum come from
// the district's settings passed in.

const calendar = districtCalendar(
	[
		{ start: '2026-09-02', end: '2026-10-23' },
		{ start: '2026-11-02', end: '2026-12-18' }
	],
	[2026, 2027]
);
const referral = { intakeDate: '2026-10-15', decisionLetterDate: '2026-10-14', safeguarding: false };

describe('triage', () => {
	it('routes an exclusion to the governing board and a review panel, due 15 school days from the letter', () => {
		const result = triage({ ...referral, category: 'exclusion' }, DEFAULT_PERIODS, calendar);
		expect(result.route).toBe('exclusion_review');
		expect(result.heardByPanel).toBe(false);
		expect(result.deadlines).toEqual([
			expect.objectContaining({ key: 'exclusion_review', due: '2026-11-11', from: '2026-10-14', period: { count: 15, unit: 'school' } })
		]);
	});

	it('routes home-to-school transport to the council’s review, counted in working days over Easter', () => {
		const result = triage({ ...referral, category: 'transport', decisionLetterDate: '2026-04-01' }, DEFAULT_PERIODS, calendar);
		expect(result.route).toBe('transport_review');
		expect(result.deadlines.map((d) => [d.key, d.due])).toEqual([['transport_review', '2026-05-01']]);
	});

	it('routes an EHC decision to a mediation adviser within 2 months, then the Tribunal', () => {
		const result = triage({ ...referral, category: 'ehc_decision', decisionLetterDate: '2026-12-31' }, DEFAULT_PERIODS, calendar);
		expect(result.route).toBe('mediation_tribunal');
		expect(result.deadlines.map((d) => [d.key, d.due])).toEqual([
			['mediation_adviser', '2027-02-28'],
			['tribunal_appeal', '2027-02-28']
		]);
	});

	it('routes disability discrimination to the Tribunal within 6 months', () => {
		const result = triage({ ...referral, category: 'disability_discrimination', decisionLetterDate: '2026-08-31' }, DEFAULT_PERIODS, calendar);
		expect(result.route).toBe('discrimination_tribunal');
		expect(result.deadlines.map((d) => [d.key, d.due])).toEqual([['discrimination_claim', '2027-02-28']]);
	});

	it('accepts what a panel can hear, with no statutory deadline of its own', () => {
		const result = triage({ ...referral, category: 'sen_support' }, DEFAULT_PERIODS, calendar);
		expect(result).toMatchObject({ route: 'panel', heardByPanel: true, deadlines: [], needsLetterDate: false });
	});

	it('sends a safeguarding concern to the designated safeguarding lead at once, whatever the route', () => {
		for (const category of ['sen_support', 'exclusion'] as const) {
			const result = triage({ ...referral, category, safeguarding: true }, DEFAULT_PERIODS, calendar);
			expect(result.deadlines[0]).toMatchObject({ key: 'safeguarding', due: '2026-10-15' });
		}
	});

	it('asks for the letter’s date when a routed-out case has none', () => {
		expect(triage({ ...referral, category: 'exclusion', decisionLetterDate: null }, DEFAULT_PERIODS, calendar)).toMatchObject({ needsLetterDate: true, deadlines: [] });
	});

	it('takes every period from the district’s settings', () => {
		const changed: DisputePeriods = { ...DEFAULT_PERIODS, exclusionReview: { count: 10, unit: 'school' }, mediationAdviser: { count: 3, unit: 'months' } };
		expect(statutoryDeadlines('exclusion', '2026-10-14', changed, calendar)[0].due).toBe('2026-11-04');
		expect(statutoryDeadlines('ehc_decision', '2026-10-14', changed, calendar)[0].due).toBe('2027-01-14');
	});
});

describe('the Tribunal’s deadline after mediation', () => {
	it('is the later of 2 months from the decision and 1 month from the certificate', () => {
		expect(tribunalDeadline('2026-12-31', null, DEFAULT_PERIODS, calendar)).toBe('2027-02-28');
		expect(tribunalDeadline('2026-12-31', '2027-02-20', DEFAULT_PERIODS, calendar)).toBe('2027-03-20');
		expect(tribunalDeadline('2026-12-31', '2027-01-10', DEFAULT_PERIODS, calendar)).toBe('2027-02-28');
	});
});

const member = (userId: number, roles: PoolMember['roles'], more: Partial<PoolMember> = {}): PoolMember => ({
	userId,
	name: `Member ${userId}`,
	roles,
	councilEmployee: false,
	settingIds: [],
	trustNames: [],
	...more
});
const NO_CONFLICTS: CaseConflicts = { settingId: 40, trustName: 'River Trust', advisedBy: [], declared: [] };

describe('who may sit', () => {
	it('never a council employee, in any role', () => {
		expect(eligibility(member(1, ['chair'], { councilEmployee: true }), NO_CONFLICTS)).toEqual({ eligible: false, reason: expect.stringMatching(/council/) });
	});

	it('not a SENDIASS worker who advised the family, nor someone who declared a conflict', () => {
		expect(eligibility(member(2, ['chair']), { ...NO_CONFLICTS, advisedBy: [2] })).toMatchObject({ eligible: false, reason: 'Advised the family on this case' });
		expect(eligibility(member(2, ['chair']), { ...NO_CONFLICTS, declared: [2] })).toMatchObject({ eligible: false, reason: 'Declared a conflict with this case' });
	});

	it('not someone from the setting or its trust (however the trust is written)', () => {
		expect(eligibility(member(3, ['education_professional'], { settingIds: [40] }), NO_CONFLICTS).eligible).toBe(false);
		expect(eligibility(member(3, ['education_professional'], { trustNames: ['river trust '] }), NO_CONFLICTS).eligible).toBe(false);
	});

	it('anyone else', () => {
		expect(eligibility(member(4, ['chair'], { settingIds: [41], trustNames: ['Hill Trust'] }), NO_CONFLICTS)).toEqual({ eligible: true });
	});
});

describe('quorum', () => {
	const chair = member(1, ['chair']);
	const parent = member(2, ['parent_carer_rep']);
	const teacher = member(3, ['education_professional']);

	it('is an independent chair, a parent-carer representative and an education professional by default', () => {
		expect(quorum([chair, parent, teacher], DEFAULT_QUORUM)).toMatchObject({ quorate: true, missing: [] });
	});

	it('names the seat that is empty', () => {
		expect(quorum([chair, teacher, member(4, ['independent_member'])], DEFAULT_QUORUM)).toMatchObject({ quorate: false, missing: ['Parent-carer representative'] });
	});

	it('does not let one person fill two seats', () => {
		const both = member(5, ['parent_carer_rep', 'education_professional']);
		const result = quorum([chair, both], DEFAULT_QUORUM);
		expect(result.quorate).toBe(false);
		expect(result.missing).toHaveLength(1);
		expect(quorum([chair], DEFAULT_QUORUM).missing).toEqual(['Parent-carer representative', 'Education professional']);
		expect(quorum([chair, parent, teacher], { ...DEFAULT_QUORUM, minimumMembers: 5 }).missing).toEqual(['2 more members']);
	});

	it('finds the seating that works when someone could fill more than one seat', () => {
		const chairOrTeacher = member(6, ['chair', 'education_professional']);
		const result = quorum([chairOrTeacher, chair, parent], DEFAULT_QUORUM);
		expect(result.quorate).toBe(true);
		expect(result.seats).toEqual([
			{ role: 'chair', userId: 1 },
			{ role: 'parent_carer_rep', userId: 2 },
			{ role: 'education_professional', userId: 6 }
		]);
	});

	it('follows the district’s rule when it is changed', () => {
		const rule = { ...DEFAULT_QUORUM, minimumMembers: 4 };
		expect(quorum([chair, parent, teacher], rule)).toMatchObject({ quorate: false, missing: ['1 more member'] });
		expect(quorum([chair, parent, teacher, member(7, ['independent_member'])], rule).quorate).toBe(true);
		expect(quorum([parent, teacher], { ...DEFAULT_QUORUM, chairRequired: false, minimumMembers: 2 }).quorate).toBe(true);
	});
});

describe('ranking the candidate slots', () => {
	const pool = [
		member(1, ['chair']),
		member(2, ['parent_carer_rep']),
		member(3, ['education_professional']),
		member(4, ['education_professional'], { councilEmployee: true }),
		member(5, ['education_professional'], { settingIds: [40] })
	];
	const slot = (slotId: number, startsAt: string, answers: Record<number, Answer>) => ({ slotId, startsAt, answers: new Map(Object.entries(answers).map(([id, a]) => [Number(id), a])) });

	it('puts quorate-on-yes first, then quorate counting if-need-be, then the rest', () => {
		const ranked = rankSlots(
			[
				slot(10, '2026-11-03T10:00:00Z', { 1: 'yes', 2: 'yes', 3: 'no', 4: 'yes', 5: 'yes' }),
				slot(11, '2026-11-04T10:00:00Z', { 1: 'yes', 2: 'if_need_be', 3: 'yes' }),
				slot(12, '2026-11-05T10:00:00Z', { 1: 'yes', 2: 'yes', 3: 'yes' })
			],
			pool,
			NO_CONFLICTS,
			DEFAULT_QUORUM
		);
		expect(ranked.map((s) => [s.slotId, s.quorate, s.needsIfNeedBe])).toEqual([
			[12, true, false],
			[11, true, true],
			[10, false, false]
		]);
		// The council employee’s and the conflicted member’s "yes" do not count.
		expect(ranked[2]).toMatchObject({ yes: 2, missing: ['Education professional'] });
	});

	it('prefers more "yes", then the earlier slot', () => {
		const all = { 1: 'yes', 2: 'yes', 3: 'yes' } as const;
		const ranked = rankSlots([slot(21, '2026-11-05T10:00:00Z', all), slot(20, '2026-11-04T10:00:00Z', all), slot(22, '2026-11-06T10:00:00Z', { ...all, 6: 'yes' })], [...pool, member(6, ['independent_member'])], NO_CONFLICTS, DEFAULT_QUORUM);
		expect(ranked.map((s) => s.slotId)).toEqual([22, 20, 21]);
	});

	it('leaves out a member who declares a conflict', () => {
		const answers = slot(30, '2026-11-04T10:00:00Z', { 1: 'yes', 2: 'yes', 3: 'yes' });
		expect(rankSlots([answers], pool, NO_CONFLICTS, DEFAULT_QUORUM)[0].quorate).toBe(true);
		expect(rankSlots([answers], pool, { ...NO_CONFLICTS, declared: [3] }, DEFAULT_QUORUM)[0].quorate).toBe(false);
	});

	it('refuses to book a slot that is not quorate, saying what is missing', () => {
		const [ranked] = rankSlots([slot(40, '2026-11-04T10:00:00Z', { 1: 'yes', 3: 'yes' })], pool, NO_CONFLICTS, DEFAULT_QUORUM);
		expect(bookingProblem(ranked)).toBe('That slot does not make a quorum: missing Parent-carer representative.');
		expect(bookingProblem(undefined)).toMatch(/not one of this case/);
		expect(bookingProblem({ ...ranked, quorate: true, missing: [] })).toBeNull();
	});
});
