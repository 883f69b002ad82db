import { describe, expect, it } from 'vitest';
import { costChange, feasibilityProblems, moneyNeededFor, schemeMoveProblem, statutoryStepsFor, type SchemeFacts } from '../../src/lib/capital/scheme/rules';
import type { ApplicationRef } from '../../src/lib/server/capital/applications/policy';
import type { ApplicationStage } from '../../src/lib/capital/flow';
import { expectOnly, person } from './policy-table';

// A specialist scheme after approval in principle: which statutory steps apply, change control's
// thresholds, what each move needs recorded first, and who may act (every rule both ways).

describe('which statutory steps apply', () => {
	it('a maintained school makes a prescribed alteration; an academy a significant change; planning only where the feasibility says so', () => {
		expect(statutoryStepsFor('maintained', false)).toEqual(['prescribed_alteration']);
		expect(statutoryStepsFor('academy', false)).toEqual(['significant_change']);
		expect(statutoryStepsFor('academy', true)).toEqual(['significant_change', 'planning']);
		expect(statutoryStepsFor('maintained', true)).toEqual(['prescribed_alteration', 'planning']);
	});
	it('an FE college, a PVI setting or a childminder needs none, bar planning', () => {
		for (const governance of ['fe', 'pvi', 'childminder', 'other'] as const) {
			expect(statutoryStepsFor(governance, false)).toEqual([]);
			expect(statutoryStepsFor(governance, true)).toEqual(['planning']);
		}
	});
});

describe('change control', () => {
	it('a costed total equal to the approved amount is no change; any move either way is one', () => {
		expect(costChange(500_000_00, 500_000_00)).toEqual({ moved: false });
		expect(costChange(500_000_00, 500_000_01)).toEqual({ moved: true, fromPence: 500_000_00, toPence: 500_000_01, rise: true });
		expect(costChange(500_000_00, 450_000_00)).toEqual({ moved: true, fromPence: 500_000_00, toPence: 450_000_00, rise: false });
	});
	it('new money is needed only for what the new total goes past the commitment', () => {
		expect(moneyNeededFor(600_000_00, 500_000_00)).toBe(100_000_00);
		expect(moneyNeededFor(600_000_00, 600_000_00)).toBe(0);
		// A rise the commitment already covers (money committed above the old approval), and a fall, need none.
		expect(moneyNeededFor(550_000_00, 600_000_00)).toBe(0);
		expect(moneyNeededFor(400_000_00, 500_000_00)).toBe(0);
	});
	it('the contingency is part of the costed total, never more than it', () => {
		expect(feasibilityProblems({ costedTotalPence: 100_00, contingencyPence: 100_00 })).toEqual({});
		expect(feasibilityProblems({ costedTotalPence: 100_00, contingencyPence: 100_01 }).contingencyPence).toMatch(/cannot be more than £100/);
	});
});

const ready: SchemeFacts = {
	surveyDoneOn: '2026-10-01',
	costedTotalPence: 500_000_00,
	approvedPence: 500_000_00,
	pendingChange: false,
	steps: [{ step: 'significant_change', status: 'approved' }],
	eiaRecorded: true,
	committedPence: 500_000_00,
	agreementSigned: false,
	milestones: { total: 0, done: 0 }
};

describe('what each move needs first', () => {
	it('the agreement needs the feasibility, the approved steps, the equalities impact assessment and the money committed; each missing one is named', () => {
		expect(schemeMoveProblem('issue_agreement', ready)).toBeNull();
		const problem = schemeMoveProblem('issue_agreement', { ...ready, surveyDoneOn: null, steps: [{ step: 'significant_change', status: 'in_progress' }, { step: 'planning', status: 'not_started' }], eiaRecorded: false, committedPence: 400_000_00 });
		expect(problem).toContain('the date of the site survey');
		expect(problem).toContain('significant change (academy) recorded as approved (it is in progress)');
		expect(problem).toContain('planning permission recorded as approved (it is not started)');
		expect(problem).toContain('the equalities impact assessment');
		expect(problem).toContain('£400,000 of £500,000 is committed');
	});
	it('a waiting change, or a total that differs from the approval, stops the statutory steps and the agreement', () => {
		expect(schemeMoveProblem('start_statutory', { ...ready, pendingChange: true, costedTotalPence: 600_000_00 })).toContain('a decision on the change to the costed total');
		expect(schemeMoveProblem('issue_agreement', { ...ready, costedTotalPence: 600_000_00 })).toContain('differs from the £500,000 approved');
	});
	it('statutory steps are refused, pointing to the agreement, when none apply', () => {
		expect(schemeMoveProblem('start_statutory', { ...ready, steps: [] })).toMatch(/No statutory steps apply.*Issue the funding agreement instead/);
	});
	it('delivery waits for every signature; opening for every milestone done', () => {
		expect(schemeMoveProblem('start_delivery', ready)).toContain('every signature on the funding agreement');
		expect(schemeMoveProblem('start_delivery', { ...ready, agreementSigned: true })).toBeNull();
		expect(schemeMoveProblem('open', ready)).toContain('the delivery milestones');
		expect(schemeMoveProblem('open', { ...ready, milestones: { total: 3, done: 2 } })).toContain('2 of 3');
		expect(schemeMoveProblem('open', { ...ready, milestones: { total: 3, done: 3 } })).toBeNull();
		expect(schemeMoveProblem('start_feasibility', { ...ready, surveyDoneOn: null })).toBeNull();
	});
});

const ACADEMY = { id: 100, name: 'Witney Academy', signatories: ['trust'] as const, landownerConsent: false };
const VA = { id: 101, name: 'St Anne’s School', signatories: ['headteacher', 'governing_body'] as const, landownerConsent: true };
const at = (settingId: number, role: 'headteacher' | 'senco', id: number) =>
	person(id, { settingRoles: [{ settingId, settingName: 'School', clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });
const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	secondOfficer: person(2, { countyRole: 'officer' }),
	head: at(ACADEMY.id, 'headteacher', 3),
	senco: at(ACADEMY.id, 'senco', 4),
	vaHead: at(VA.id, 'headteacher', 5),
	pcf: person(6, { clusterRoles: [{ clusterId: 1, clusterName: 'District', clusterKind: 'district', role: 'pcf_rep' }], clusterIds: [1] }),
	otherHead: at(999, 'headteacher', 7),
	headOfficer: person(8, { countyRole: 'officer', settingRoles: [{ settingId: ACADEMY.id, settingName: 'Witney Academy', clusterId: 10, districtId: 1, role: 'headteacher' }] })
};
const scheme = (stage: ApplicationStage, process: 'scheme' | 'grant' = 'scheme'): ApplicationRef => ({ id: 1, stage, process, districtId: 1, leadSettingId: ACADEMY.id, settingIds: [ACADEMY.id, VA.id] });

describe('who may act on a scheme', () => {
	it('its feasibility, costs and agreement: the settings’ staff and officers, not the district’s roles or another setting', () => {
		expectOnly(PEOPLE, { action: 'capital.scheme.view', application: scheme('feasibility') }, ['officer', 'secondOfficer', 'head', 'senco', 'vaHead', 'headOfficer']);
	});
	it('recording and moving on: officers who hold no role in its settings; never on a grant', () => {
		expectOnly(PEOPLE, { action: 'capital.scheme.officer', application: scheme('feasibility') }, ['officer', 'secondOfficer'], /council officers|another officer/);
		expectOnly(PEOPLE, { action: 'capital.scheme.officer', application: scheme('feasibility', 'grant') }, [], /./);
	});
	it('a change to the costs is decided by another officer than the one who recorded it', () => {
		expectOnly(PEOPLE, { action: 'capital.scheme.change.decide', application: scheme('feasibility'), change: { requestedBy: 1, requesterName: 'Person 1' } }, ['secondOfficer'], /./);
	});
	it('the agreement is signed for the trust by the academy’s headteacher recording it (even one who is also an officer), never by a SENCO or another officer', () => {
		expectOnly(PEOPLE, { action: 'capital.scheme.agreement.sign', application: scheme('agreement'), setting: ACADEMY, as: 'trust' }, ['head', 'headOfficer'], /./);
		expectOnly(PEOPLE, { action: 'capital.scheme.agreement.sign', application: scheme('agreement'), setting: ACADEMY, as: 'headteacher' }, [], /sign/);
	});
	it('the landowner’s consent is recorded only where the setting’s type needs it, and only while the agreement waits', () => {
		expectOnly(PEOPLE, { action: 'capital.scheme.agreement.sign', application: scheme('agreement'), setting: VA, as: 'landowner' }, ['vaHead'], /./);
		expectOnly(PEOPLE, { action: 'capital.scheme.agreement.sign', application: scheme('agreement'), setting: ACADEMY, as: 'landowner' }, [], /./);
		expectOnly(PEOPLE, { action: 'capital.scheme.agreement.sign', application: scheme('in_delivery'), setting: VA, as: 'landowner' }, [], /./);
	});
});
