import { describe, expect, it } from 'vitest';
import { allocationCutProblem, commitmentProblems, lineHeadroom, sourceCutProblems, occupancyProblem, sourceYearHeadroom, spendProblem, sumPence, transferProblem } from '$lib/capital/money/rules';
import { financialYearOf, termLabel } from '$lib/capital/money/model';
import { moneyRules } from '$lib/server/capital/money/policy';
import type { Actor } from '$lib/server/auth/actor';

// Money by source and year: what a commitment, a plan, a move between lines, a spend and an
// occupancy figure may be, as pure rules; and who may do each.

const TRANCHE = { name: 'HNCPA tranche 1', status: 'confirmed' as const, profile: { '2026': 5_000_000_00, '2027': 6_299_000_00 }, fundsLine: true, committedInYear: 0 };
const LINE = { name: 'Early years support base', allocationPence: 1_000_000_00, committed: 0 };
const APPROVED = { stage: 'grant_offered' as const, requestedPence: 10_000_00, committed: 0 };
const COMMIT = { kind: 'committed' as const, year: 2026, amountPence: 10_000_00 };

describe('committing money to an application', () => {
	it('an approved application can be funded from a confirmed source that funds its line, within the year, the allocation and the request', () => {
		expect(commitmentProblems(COMMIT, TRANCHE, LINE, APPROVED)).toEqual({});
	});

	it('an assumed tranche can be planned against but not committed', () => {
		const assumed = { ...TRANCHE, name: 'HNCPA tranche 2', status: 'assumed' as const };
		expect(commitmentProblems(COMMIT, assumed, LINE, APPROVED).sourceId).toMatch(/HNCPA tranche 2 is assumed, not confirmed: you can plan against it/);
		expect(commitmentProblems({ ...COMMIT, kind: 'planned' }, assumed, LINE, APPROVED)).toEqual({});
	});

	it('a source may fund only its lines, for plans and commitments alike', () => {
		const elsewhere = { ...TRANCHE, fundsLine: false };
		expect(commitmentProblems(COMMIT, elsewhere, LINE, APPROVED).sourceId).toMatch(/may not fund the line Early years support base/);
		expect(commitmentProblems({ ...COMMIT, kind: 'planned' }, elsewhere, LINE, APPROVED).sourceId).toBeDefined();
	});

	it('never over the source’s profile in the year: up to the last penny is fine, one more is not', () => {
		const nearlyFull = { ...TRANCHE, committedInYear: 5_000_000_00 - 10_000_00 };
		const big = { ...LINE, allocationPence: 100_000_000_00 };
		const request = { ...APPROVED, requestedPence: null };
		expect(commitmentProblems(COMMIT, nearlyFull, big, request)).toEqual({});
		expect(commitmentProblems({ ...COMMIT, amountPence: 10_000_01 }, nearlyFull, big, request).amountPence).toBe(
			'HNCPA tranche 1 has £10,000 left to commit in 2026/27; £10,000.01 would over-commit it.'
		);
		// Another year of the same source has its own room.
		expect(commitmentProblems({ ...COMMIT, year: 2027, amountPence: 10_000_01 }, { ...nearlyFull, committedInYear: 0 }, big, request)).toEqual({});
	});

	it('a year outside the source’s profile is refused beside the year', () => {
		expect(commitmentProblems({ ...COMMIT, year: 2029 }, TRANCHE, LINE, APPROVED).year).toBe('HNCPA tranche 1 has no money profiled for 2029/30. Choose a year in its profile.');
	});

	it('never over the line’s allocation, nor without one', () => {
		const full = { ...LINE, committed: 1_000_000_00 - 5_000_00 };
		expect(commitmentProblems(COMMIT, TRANCHE, full, APPROVED).amountPence).toMatch(/has £5,000 of its allocation left; £10,000 would go past it/);
		expect(commitmentProblems(COMMIT, TRANCHE, { ...LINE, allocationPence: null }, APPROVED).amountPence).toMatch(/no allocation set/);
	});

	it('never past what the application asked for', () => {
		expect(commitmentProblems({ ...COMMIT, amountPence: 6_000_00 }, TRANCHE, LINE, { ...APPROVED, committed: 5_000_00 }).amountPence).toMatch(/asked for £10,000 and has £5,000 committed/);
	});

	it('only once approved and until it opens; a plan may come earlier but not after it ended', () => {
		for (const stage of ['draft', 'in_assessment', 'recommended', 'open'] as const) {
			expect(commitmentProblems(COMMIT, TRANCHE, LINE, { ...APPROVED, stage }).kind, stage).toMatch(/only once the application is approved/);
		}
		for (const stage of ['approved', 'approved_in_principle', 'feasibility', 'claimed', 'in_delivery'] as const) {
			expect(commitmentProblems(COMMIT, TRANCHE, LINE, { ...APPROVED, stage }), stage).toEqual({});
		}
		expect(commitmentProblems({ ...COMMIT, kind: 'planned' }, TRANCHE, LINE, { ...APPROVED, stage: 'in_assessment' })).toEqual({});
		expect(commitmentProblems({ ...COMMIT, kind: 'planned' }, TRANCHE, LINE, { ...APPROVED, stage: 'withdrawn' }).kind).toMatch(/nothing to plan for/);
	});

	it('plans hold no money: they are not limited by the year or the allocation', () => {
		const full = { ...TRANCHE, status: 'assumed' as const, committedInYear: 5_000_000_00 };
		expect(commitmentProblems({ kind: 'planned', year: 2030, amountPence: 99_000_000_00 }, full, { ...LINE, committed: 1_000_000_00 }, APPROVED)).toEqual({});
	});
});

describe('money arithmetic', () => {
	it('headroom is the profile or allocation less what is committed, in whole pence', () => {
		expect(sourceYearHeadroom({ '2026': 1_129_900_000 }, 2026, 1_000_000_01)).toBe(1_029_899_999);
		expect(sourceYearHeadroom({ '2026': 100 }, 2027, 0)).toBe(0);
		expect(lineHeadroom(357_000_000, 75_000_00)).toBe(349_500_000);
		expect(lineHeadroom(null, 0)).toBe(0);
		expect(sumPence([1, 2, 1_129_900_000])).toBe(1_129_900_003);
	});

	it('a spend date falls in the financial year April to March', () => {
		expect(financialYearOf('2026-04-01')).toBe(2026);
		expect(financialYearOf('2027-03-31')).toBe(2026);
		expect(termLabel(2026, 'spring')).toBe('Spring 2026/27');
	});
});

describe('moving money between lines', () => {
	it('never takes more than the line has not yet committed', () => {
		const from = { name: 'Specialist resource base', allocationPence: 500_000_00, committed: 400_000_00 };
		expect(transferProblem(from, 100_000_00)).toBeNull();
		expect(transferProblem(from, 100_000_01)).toBe('Specialist resource base has £100,000 not yet committed; £100,000.01 cannot be moved out of it.');
	});
});

describe('an allocation or a source never drops below what is committed', () => {
	it('a line’s allocation may fall to what is committed, not below it, and cannot be cleared while money is committed', () => {
		expect(allocationCutProblem('Early years', 50_000_00, 50_000_00)).toBeNull();
		expect(allocationCutProblem('Early years', null, 0)).toBeNull();
		expect(allocationCutProblem('Early years', 49_999_99, 50_000_00)).toBe(
			'£50,000 is already committed against Early years, so its allocation cannot be set to £49,999.99. Set it to £50,000 or more.'
		);
		expect(allocationCutProblem('Early years', null, 1)).toMatch(/^£0\.01 is already committed against Early years, so its allocation cannot be cleared\./);
	});

	it('a source keeps its amount, each year’s profile, its confirmed status and the lines that hold its commitments', () => {
		const committed = { total: 30_000_00, byYear: { '2026': 20_000_00, '2027': 10_000_00 }, byLine: [{ lineId: 1, lineName: 'Early years', pence: 30_000_00 }] };
		const fine = { amountPence: 30_000_00, status: 'confirmed' as const, profile: { '2026': 20_000_00, '2027': 10_000_00 }, lineIds: [1, 2] };
		expect(sourceCutProblems('Tranche 1', fine, committed)).toEqual({});
		expect(sourceCutProblems('Tranche 1', { ...fine, amountPence: 0, status: 'assumed', profile: {}, lineIds: [] }, { total: 0, byYear: {}, byLine: [] })).toEqual({});
		expect(sourceCutProblems('Tranche 1', { amountPence: 29_999_99, status: 'assumed', profile: { '2026': 19_000_00 }, lineIds: [2] }, committed)).toEqual({
			amountPence: '£30,000 is already committed from Tranche 1, so its amount cannot be £29,999.99. Set it to £30,000 or more.',
			status: '£30,000 is already committed from Tranche 1, so it cannot go back to assumed.',
			profile: 'The profile cannot go below what is already committed from Tranche 1: £20,000 in 2026/27, £10,000 in 2027/28.',
			lineIds: 'Tranche 1 has money committed to Early years (£30,000), so it must still fund that line.'
		});
	});
});

describe('spend and occupied places', () => {
	it('spend follows an approval and never passes what is committed', () => {
		expect(spendProblem('claimed', 10_000_00, 0, 10_000_00)).toBeNull();
		expect(spendProblem('claimed', 10_000_00, 9_000_00, 1_000_01)).toMatch(/would pass what is committed/);
		expect(spendProblem('submitted', 10_000_00, 0, 1)).toMatch(/approved application/);
	});

	it('places are occupied only in an open base, and never more than it has', () => {
		expect(occupancyProblem('open', 8, 8)).toBeNull();
		expect(occupancyProblem('open', 8, 9)).toBe('The base has 8 places; 9 cannot be occupied.');
		expect(occupancyProblem('in_delivery', 8, 1)).toMatch(/once the base is open/);
	});
});

describe('who may commit and move money', () => {
	const person = (id: number, countyRole: Actor['countyRole']): Actor => ({ id, name: `P${id}`, countyRole, settingRoles: [], clusterRoles: [], clusterIds: [] }) as unknown as Actor;
	const officer = person(1, 'officer');
	const other = person(2, 'officer');
	const head = person(3, null);

	it('officers commit and record; nobody else does, and nobody on an application they started', () => {
		expect(moneyRules['capital.money.commit'](officer, { action: 'capital.money.commit', application: { createdBy: 9 } }).allowed).toBe(true);
		expect(moneyRules['capital.money.commit'](head, { action: 'capital.money.commit', application: { createdBy: 9 } })).toEqual({ allowed: false, reason: 'Only council officers can see and move the capital programme’s money.' });
		expect(moneyRules['capital.money.commit'](officer, { action: 'capital.money.commit', application: { createdBy: 1 } }).allowed).toBe(false);
		expect(moneyRules['capital.money.record'](other, { action: 'capital.money.record', application: { createdBy: 1 } }).allowed).toBe(true);
		expect(moneyRules['capital.money.record'](head, { action: 'capital.money.record', application: { createdBy: 1 } }).allowed).toBe(false);
	});

	it('a move is approved by an officer who did not propose it', () => {
		const transfer = { proposedBy: 1, proposerName: 'P1' };
		expect(moneyRules['capital.money.transfer.decide'](officer, { action: 'capital.money.transfer.decide', transfer })).toEqual({ allowed: false, reason: 'You proposed this move, so another officer must approve or turn it down.' });
		expect(moneyRules['capital.money.transfer.decide'](other, { action: 'capital.money.transfer.decide', transfer }).allowed).toBe(true);
		expect(moneyRules['capital.money.transfer.decide'](head, { action: 'capital.money.transfer.decide', transfer }).allowed).toBe(false);
		expect(moneyRules['capital.money.transfer.propose'](head, { action: 'capital.money.transfer.propose' }).allowed).toBe(false);
	});

	it('the dashboard is for officers', () => {
		expect(moneyRules['capital.dashboard.view'](officer, { action: 'capital.dashboard.view' }).allowed).toBe(true);
		expect(moneyRules['capital.dashboard.view'](head, { action: 'capital.dashboard.view' }).allowed).toBe(false);
	});
});
