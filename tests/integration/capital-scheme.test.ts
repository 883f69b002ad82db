import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import {
	addMilestone,
	completeMilestone,
	decideChange,
	downloadAgreement,
	issueAgreement,
	moveScheme,
	recordEia,
	recordFeasibility,
	recordStatutoryStep,
	reissueAgreement,
	schemePage,
	signAgreement
} from '../../src/lib/server/capital/scheme';
import { commitFunding, recordOccupancy } from '../../src/lib/server/capital/money';
import type { ApplicationStage } from '../../src/lib/capital/flow';
import { ukToday } from '../../src/lib/dates';
import { moneyFixture, refused, type MoneyFixture } from './capital-money-fixture';
import { postedTwice } from './posts';
import { appRouter } from '../../src/lib/server/trpc/router';

// A specialist scheme after approval in principle against a real PostgreSQL: each step allowed and
// refused (officers independent of the setting; the settings' signatories only for what they
// sign; another district's staff never), bad input as field errors with nothing written, change
// control committing a rise through the money module and refusing to over-commit, the statutory
// steps an academy needs before its agreement, the agreement's PDF, delivery and opening.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;
let schemeLine: number;
let senco: Actor;
let valeHead: Actor;
let thirdOfficer: Actor;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
	({ id: schemeLine } = await db
		.insertInto('capital_line')
		.values({ name: 'Specialist unit, secondary (EHCP)', process: 'scheme', allocation_pence: 1_000_000_00, planned_places: 467, place_definition: 'A commissioned place for a child with an EHC plan' })
		.returning('id')
		.executeTakeFirstOrThrow());
	await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: schemeLine }).execute();
	const person = async (name: string, settingId: number, role: 'headteacher' | 'senco') => {
		const { id } = await db.insertInto('app_user').values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('setting_membership').values({ user_id: id, setting_id: settingId, role }).execute();
		return (await loadActor(db, id))!;
	};
	senco = await person('Sian Senco', f.settings.west, 'senco');
	valeHead = await person('Vera Vale', f.settings.vale, 'headteacher');
	const { id: thirdId } = await db.insertInto('app_user').values({ name: 'Tara Officer', email: 'tara.officer@example.org', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow();
	thirdOfficer = (await loadActor(db, thirdId))!;
});

afterAll(async () => {
	await test?.close();
});

/** A scheme for Witney Academy (an academy in West Oxfordshire) at a stage, asking for £400,000 for 12 places. */
async function schemeAt(stage: ApplicationStage, requestedPence = 400_000_00, lineId = schemeLine): Promise<number> {
	const id = await f.application({ stage, places: 12, requestedPence });
	await db.updateTable('capital_application').set({ line_id: lineId }).where('id', '=', id).execute();
	return id;
}
const versionOf = async (id: number) => (await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const stageOf = async (id: number) => (await db.selectFrom('capital_application').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;
const move = async (id: number, to: 'start_feasibility' | 'start_statutory' | 'start_delivery' | 'open', actor = f.officer) =>
	moveScheme(db, actor, { applicationId: id, version: await versionOf(id), move: to, reason: '' });
const feasibility = async (id: number, over: Record<string, unknown> = {}, actor = f.officer) =>
	recordFeasibility(db, actor, { applicationId: id, version: await versionOf(id), surveyDoneOn: ukToday(), costedTotalPence: 400_000_00, contingencyPence: 40_000_00, planningNeeded: false, reason: '', ...over });
const commit = (id: number, amountPence: number, actor = f.secondOfficer) =>
	commitFunding(db, actor, { applicationId: id, kind: 'committed', sourceId: f.sources.tranche1, year: 2026, amountPence, reason: 'Sufficiency Board approval' });
/** Everything a scheme step writes, to show a refusal wrote nothing. */
const written = async () =>
	(
		await sql<{ n: string }>`select (select count(*) from capital_scheme) + (select count(*) from capital_scheme_change) + (select count(*) from capital_statutory_step)
		+ (select count(*) from capital_scheme_agreement) + (select count(*) from capital_scheme_agreement_signature) + (select count(*) from capital_scheme_milestone)
		+ (select count(*) from capital_commitment) + (select count(*) from audit_log) + (select count(*) from live_event) as n`.execute(db)
	).rows[0].n;

describe('feasibility', () => {
	it('an officer starts feasibility and records the survey, the costed total and the contingency; the timeline and the room are told', async () => {
		const id = await schemeAt('approved_in_principle');
		await move(id, 'start_feasibility');
		expect(await stageOf(id)).toBe('feasibility');
		const { changeId } = await feasibility(id);
		expect(changeId).toBeNull();
		const page = await schemePage(db, f.officer, id);
		expect(page.scheme).toMatchObject({ costedTotalPence: 400_000_00, contingencyPence: 40_000_00, approvedPence: 400_000_00, planningNeeded: false });
		expect(page.steps.map((s) => s.step)).toEqual(['significant_change']);
		const audit = await db.selectFrom('audit_log').select(sql<string>`detail ->> 'summary'`.as('summary')).where('subject_id', '=', id).where('action', '=', 'capital.scheme_feasibility_recorded').executeTakeFirstOrThrow();
		expect(audit.summary).toMatch(/costed total £400,000 including £40,000 contingency/);
		const events = await db.selectFrom('live_event').select('payload').where('kind', '=', 'application.changed').execute();
		expect(events.map((e) => e.payload)).toContainEqual({ applicationId: id, version: await versionOf(id), section: null });
	});

	it('the setting’s staff, another district’s head and an officer who works at the setting are refused; nothing is written', async () => {
		const id = await schemeAt('feasibility');
		const before = await written();
		await refused(feasibility(id, {}, f.head), 'FORBIDDEN', /Only council officers/);
		await refused(feasibility(id, {}, senco), 'FORBIDDEN');
		await refused(feasibility(id, {}, valeHead), 'FORBIDDEN');
		await refused(move(id, 'start_statutory', f.head), 'FORBIDDEN');
		await refused(schemePage(db, valeHead, id), 'FORBIDDEN');
		expect(await written()).toBe(before);
	});

	it('bad input is refused field by field (a future survey, money in fractions of a penny, a contingency over the total), never a crash', async () => {
		const id = await schemeAt('feasibility');
		const before = await written();
		const future = await refused(feasibility(id, { surveyDoneOn: '2099-01-01', costedTotalPence: 'lots', planningNeeded: 'perhaps' }), 'BAD_REQUEST');
		expect(Object.keys(future.fieldErrors ?? {})).toEqual(expect.arrayContaining(['surveyDoneOn', 'costedTotalPence', 'planningNeeded']));
		const over = await refused(feasibility(id, { contingencyPence: 400_000_01 }), 'BAD_REQUEST');
		expect(over.fieldErrors?.contingencyPence?.[0]).toMatch(/part of the costed total/);
		expect(await written()).toBe(before);
	});
});

describe('over the API', () => {
	const api = (actor: Actor) => appRouter.createCaller({ db, io: undefined, actor, session: null, event: {} as never });

	it('an officer reads the scheme and moves it on through the same commands; another district’s head and the setting’s SENCO are refused, with nothing written', async () => {
		const id = await schemeAt('approved_in_principle');
		await api(f.officer).capitalStages.moveScheme({ applicationId: id, version: await versionOf(id), move: 'start_feasibility', reason: '' });
		expect(await stageOf(id)).toBe('feasibility');
		expect((await api(f.officer).capitalStages.scheme({ applicationId: id })).moves.map((m) => m.move)).toContain('start_statutory');
		const before = await written();
		await expect(api(valeHead).capitalStages.scheme({ applicationId: id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(api(valeHead).capitalStages.moveScheme({ applicationId: id, version: await versionOf(id), move: 'start_statutory', reason: '' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(api(senco).capitalStages.recordFeasibility({ applicationId: id, version: await versionOf(id), surveyDoneOn: ukToday(), costedTotalPence: 400_000_00, contingencyPence: 0, planningNeeded: false, reason: '' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(api(valeHead).capitalStages.grant({ applicationId: id })).rejects.toMatchObject({ code: expect.stringMatching(/FORBIDDEN|BAD_REQUEST|NOT_FOUND/) });
		expect(await written()).toBe(before);
	});

	it('bad input is refused with field errors before any command runs', async () => {
		const id = await schemeAt('feasibility');
		const before = await written();
		const refusal = await api(f.officer)
			.capitalStages.recordFeasibility({ applicationId: id, version: await versionOf(id), surveyDoneOn: 'soon', costedTotalPence: -1, contingencyPence: 0, planningNeeded: false, reason: '' } as never)
			.then(() => null, (e: unknown) => e as { code: string; message: string });
		expect(refusal?.code).toBe('BAD_REQUEST');
		expect(await written()).toBe(before);
	});
});

describe('change control', () => {
	it('a costed total that moves needs a reason, and becomes a change request with who, when and why', async () => {
		const id = await schemeAt('feasibility');
		const noReason = await refused(feasibility(id, { costedTotalPence: 450_000_00 }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason?.[0]).toMatch(/differs from the £400,000 approved/);
		const { changeId } = await feasibility(id, { costedTotalPence: 450_000_00, reason: 'Asbestos found in the survey' });
		const change = await db.selectFrom('capital_scheme_change').selectAll().where('id', '=', changeId!).executeTakeFirstOrThrow();
		expect(change).toMatchObject({ from_pence: 400_000_00, to_pence: 450_000_00, reason: 'Asbestos found in the survey', requested_by: f.officer.id, status: 'pending' });
		// One change waits at a time: the total cannot move again until it is decided.
		const again = await refused(feasibility(id, { costedTotalPence: 470_000_00, reason: 'More asbestos' }), 'BAD_REQUEST');
		expect(again.fieldErrors?.costedTotalPence?.[0]).toMatch(/waiting for a decision/);
		// The scheme cannot move on while it waits.
		await refused(move(id, 'start_statutory'), 'BAD_REQUEST', /a decision on the change to the costed total/);
	});

	it('the officer who asked cannot decide; another officer approves a rise, committing only the new money through the money module', async () => {
		const id = await schemeAt('feasibility');
		await commit(id, 400_000_00);
		const { changeId } = await feasibility(id, { costedTotalPence: 460_000_00, reason: 'Tender came in higher' });
		await refused(decideChange(db, f.officer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Fine' }), 'FORBIDDEN', /another officer/);
		await refused(decideChange(db, f.head, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Fine' }), 'FORBIDDEN');
		const missing = await refused(decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', reason: 'Fine' }), 'BAD_REQUEST');
		expect(missing.fieldErrors?.sourceId?.[0]).toMatch(/£60,000 more than is committed/);
		const { commitmentId } = await decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Within the line’s headroom' });
		const commitment = await db.selectFrom('capital_commitment').select(['amount_pence', 'kind', 'created_by']).where('id', '=', commitmentId!).executeTakeFirstOrThrow();
		expect(commitment).toEqual({ amount_pence: 60_000_00, kind: 'committed', created_by: f.secondOfficer.id });
		const page = await schemePage(db, f.officer, id);
		expect(page.scheme?.approvedPence).toBe(460_000_00);
		expect(page.changes[0]).toMatchObject({ status: 'approved', decided_by_name: 'Owen Officer', decision_reason: 'Within the line’s headroom' });
		// Deciding twice is a conflict, not a second commitment.
		await refused(decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Again' }), 'CONFLICT');
	});

	it('a rise past the line’s allocation is refused on the amount and nothing is written: the change still waits and the approved cost stands', async () => {
		const id = await schemeAt('feasibility');
		const { changeId } = await feasibility(id, { costedTotalPence: 2_000_000_00, reason: 'Full new build needed' });
		const before = await written();
		const over = await refused(decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Needed' }), 'BAD_REQUEST');
		expect(over.fieldErrors?.amountPence?.[0]).toMatch(/would go past it/);
		expect(await written()).toBe(before);
		const assumed = await refused(decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche2, year: 2027, reason: 'Needed' }), 'BAD_REQUEST');
		expect(assumed.fieldErrors?.sourceId?.[0]).toMatch(/may not fund|assumed/);
		const page = await schemePage(db, f.officer, id);
		expect(page.scheme?.approvedPence).toBe(400_000_00);
		expect(page.pendingChange?.id).toBe(changeId);
		// Turned down, the total still differs, so the scheme cannot go on until a total within the approval is recorded.
		await decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'reject', reason: 'Value for money: redesign within the approval' });
		await refused(move(id, 'start_statutory'), 'BAD_REQUEST', /differs from the £400,000 approved/);
	});
});

describe('change control under concurrency', () => {
	it('two rises approved at once for the last of a line’s allocation: one is committed, the other refused, and the line is never over-committed', async () => {
		const { id: raceLine } = await db
			.insertInto('capital_line')
			.values({ name: 'Specialist resource base (race)', process: 'scheme', allocation_pence: 500_000_00, planned_places: 40, place_definition: 'A commissioned place' })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: raceLine }).execute();
		const ids = [await schemeAt('feasibility', 200_000_00, raceLine), await schemeAt('feasibility', 200_000_00, raceLine)];
		const changes: number[] = [];
		for (const id of ids) {
			await commit(id, 200_000_00);
			const { changeId } = await feasibility(id, { costedTotalPence: 300_000_00, contingencyPence: 30_000_00, reason: 'Tender came in higher' });
			changes.push(changeId!);
		}
		const results = await Promise.allSettled(
			ids.map((id, i) => decideChange(db, f.secondOfficer, { applicationId: id, changeId: changes[i], decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Needed' }))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const loser = results.find((r) => r.status === 'rejected');
		await refused(Promise.reject(loser?.status === 'rejected' ? loser.reason : new Error('none refused')), 'BAD_REQUEST', /has £0 of its allocation left/);
		const { total } = await db.selectFrom('capital_commitment').select(sql<string>`sum(amount_pence)`.as('total')).where('line_id', '=', raceLine).where('kind', '=', 'committed').executeTakeFirstOrThrow();
		expect(Number(total)).toBe(500_000_00);
		const statuses = await db.selectFrom('capital_scheme_change').select('status').where('id', 'in', changes).execute();
		expect(statuses.map((c) => c.status).sort()).toEqual(['approved', 'pending']);
	});
});

describe('two officers deciding one change', () => {
	it('both at once: one decision stands, the other is refused naming who decided, and only one commitment is made', async () => {
		const id = await schemeAt('feasibility', 40_000_00);
		await commit(id, 40_000_00);
		const { changeId } = await feasibility(id, { costedTotalPence: 42_000_00, contingencyPence: 4_000_00, reason: 'Drainage works' });
		const decide = (actor: Actor, decision: 'approve' | 'reject') =>
			decideChange(db, actor, { applicationId: id, changeId, decision, sourceId: f.sources.tranche1, year: 2026, reason: `${actor.name} decided` });
		const results = await Promise.allSettled([decide(f.secondOfficer, 'approve'), decide(thirdOfficer, 'reject')]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const change = await db.selectFrom('capital_scheme_change as c').innerJoin('app_user as u', 'u.id', 'c.decided_by').select(['c.status', 'u.name']).where('c.id', '=', changeId!).executeTakeFirstOrThrow();
		const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		const verb = change.status === 'approved' ? 'approved' : 'turned down';
		await refused(Promise.reject(loser.reason), 'CONFLICT', new RegExp(`^${change.name} has already ${verb} this change`));
		const commitments = await db.selectFrom('capital_commitment').select('amount_pence').where('application_id', '=', id).execute();
		expect(commitments.map((c) => c.amount_pence).sort((a, b) => a - b)).toEqual(change.status === 'approved' ? [2_000_00, 40_000_00] : [40_000_00]);
		const decisions = await db.selectFrom('audit_log').select('action').where('subject_id', '=', id).where('action', 'in', ['capital.scheme_change_approved', 'capital.scheme_change_rejected']).execute();
		expect(decisions).toHaveLength(1);
	});

	it('the officer who raised it is refused even while another officer decides it, and the decision is the other officer’s', async () => {
		const id = await schemeAt('feasibility', 40_000_00);
		await commit(id, 40_000_00);
		const { changeId } = await feasibility(id, { costedTotalPence: 38_000_00, contingencyPence: 4_000_00, reason: 'Cheaper tender' });
		const results = await Promise.allSettled([
			decideChange(db, f.officer, { applicationId: id, changeId, decision: 'approve', reason: 'Mine' }),
			decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', reason: 'Checked the tender' })
		]);
		expect(results[1].status).toBe('fulfilled');
		await refused(Promise.reject((results[0] as PromiseRejectedResult).reason), 'FORBIDDEN', /You recorded this change, so another officer must decide it/);
		const change = await db.selectFrom('capital_scheme_change').select(['status', 'decided_by']).where('id', '=', changeId!).executeTakeFirstOrThrow();
		expect(change).toEqual({ status: 'approved', decided_by: f.secondOfficer.id });
	});
});

describe('a lower cost releases what is committed beyond it', () => {
	let releaseLine = 0;
	beforeAll(async () => {
		({ id: releaseLine } = await db
			.insertInto('capital_line')
			.values({ name: 'Specialist resource base (release)', process: 'scheme', allocation_pence: 500_000_00, planned_places: 40, place_definition: 'A commissioned place' })
			.returning('id')
			.executeTakeFirstOrThrow());
		await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: releaseLine }).execute();
	});
	const committedRows = async (id: number) =>
		(await db.selectFrom('capital_commitment').select(['amount_pence']).where('application_id', '=', id).where('kind', '=', 'committed').orderBy('id').execute()).map((c) => c.amount_pence);
	const lineCommitted = async () =>
		Number((await db.selectFrom('capital_commitment').select(sql<string>`coalesce(sum(amount_pence), 0)`.as('t')).where('line_id', '=', releaseLine).where('kind', '=', 'committed').executeTakeFirstOrThrow()).t);
	const lower = async (id: number, toPence: number) => {
		const { changeId } = await feasibility(id, { costedTotalPence: toPence, contingencyPence: 0, reason: 'Value engineering' });
		return decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', reason: 'Agreed at the capital board' });
	};

	it('newest commitment first, cut down or removed, in the same transaction as the approval, and recorded on the timeline', async () => {
		const id = await schemeAt('feasibility', 40_000_00, releaseLine);
		await commit(id, 25_000_00);
		await commit(id, 15_000_00);
		const before = await lineCommitted();
		expect((await lower(id, 30_000_00)).releasedPence).toBe(10_000_00);
		expect(await committedRows(id)).toEqual([25_000_00, 5_000_00]);
		expect(await lineCommitted()).toBe(before - 10_000_00);
		const { releasedPence } = await lower(id, 4_000_00);
		expect(releasedPence).toBe(26_000_00);
		expect(await committedRows(id)).toEqual([4_000_00]);
		expect(await lineCommitted()).toBe(before - 36_000_00);
		const released = await db
			.selectFrom('audit_log as a')
			.innerJoin('app_user as u', 'u.id', 'a.actor_id')
			.select(['u.name', 'a.reason', sql<string>`a.detail ->> 'summary'`.as('summary')])
			.where('a.subject_id', '=', id)
			.where('a.action', '=', 'capital.funding_released')
			.orderBy('a.id')
			.execute();
		expect(released).toEqual([
			{ name: 'Owen Officer', reason: 'Change to the costed total approved: Agreed at the capital board', summary: expect.stringMatching(/^Released £10,000 of what was committed to CAP-TEST-\d+/) },
			{ name: 'Owen Officer', reason: 'Change to the costed total approved: Agreed at the capital board', summary: expect.stringMatching(/^Released £26,000 /) }
		]);
		const approved = await db.selectFrom('audit_log').select(sql<string>`detail ->> 'summary'`.as('summary')).where('subject_id', '=', id).where('action', '=', 'capital.scheme_change_approved').orderBy('id').execute();
		expect(approved.map((a) => a.summary)).toEqual([expect.stringMatching(/£10,000 released back to the line$/), expect.stringMatching(/£26,000 released back to the line$/)]);
	});

	it('a fall turned down releases nothing', async () => {
		const id = await schemeAt('feasibility', 40_000_00, releaseLine);
		await commit(id, 20_000_00);
		const { changeId } = await feasibility(id, { costedTotalPence: 10_000_00, contingencyPence: 0, reason: 'Smaller base' });
		await decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'reject', reason: 'Keep the places' });
		expect(await committedRows(id)).toEqual([20_000_00]);
		expect(await db.selectFrom('audit_log').select('id').where('subject_id', '=', id).where('action', '=', 'capital.funding_released').execute()).toEqual([]);
	});

	it('never below what is already spent: the approval is refused with why and nothing is written', async () => {
		const id = await schemeAt('feasibility', 40_000_00, releaseLine);
		await commit(id, 40_000_00);
		await db.insertInto('capital_spend').values({ application_id: id, line_id: releaseLine, amount_pence: 35_000_00, spent_on: ukToday(), note: 'Design fees', recorded_by: f.officer.id }).execute();
		const { changeId } = await feasibility(id, { costedTotalPence: 30_000_00, contingencyPence: 0, reason: 'Smaller base' });
		const before = await written();
		const refusal = await refused(decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', reason: 'Fine' }), 'BAD_REQUEST');
		expect(refusal.fieldErrors?.decision).toEqual([expect.stringMatching(/^£35,000 has already been spent on CAP-TEST-\d+, so no more than £5,000 of what is committed can be released\.$/)]);
		expect(await written()).toBe(before);
		expect(await committedRows(id)).toEqual([40_000_00]);
	});
});

describe('reissuing the funding agreement', () => {
	let reissueLine = 0;
	beforeAll(async () => {
		({ id: reissueLine } = await db
			.insertInto('capital_line')
			.values({ name: 'Specialist resource base (reissue)', process: 'scheme', allocation_pence: 500_000_00, planned_places: 40, place_definition: 'A commissioned place' })
			.returning('id')
			.executeTakeFirstOrThrow());
		await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: reissueLine }).execute();
	});

	/** A scheme in delivery with its first agreement signed for the trust, £40,000 for 12 places. */
	async function inDelivery() {
		const id = await schemeAt('feasibility', 40_000_00, reissueLine);
		await feasibility(id, { costedTotalPence: 40_000_00, contingencyPence: 4_000_00 });
		await move(id, 'start_statutory');
		await recordStatutoryStep(db, f.officer, { applicationId: id, step: 'significant_change', status: 'approved', statusOn: ukToday() });
		await recordEia(db, f.officer, { applicationId: id, assessedOn: ukToday(), summary: 'No adverse impact' });
		await commit(id, 40_000_00);
		const { agreementId } = await issueAgreement(db, f.officer, { applicationId: id, version: await versionOf(id), clawbackYears: 10, conditions: 'Keep the base open.' });
		await signAgreement(db, f.head, { applicationId: id, agreementId, settingId: f.settings.west, capacity: 'trust', signedForName: 'Chief executive' });
		await move(id, 'start_delivery');
		return { id, first: agreementId };
	}
	const reissue = async (id: number, actor = f.officer, reason = 'The approved cost went up') =>
		reissueAgreement(db, actor, { applicationId: id, version: await versionOf(id), clawbackYears: 10, conditions: 'Keep the base open.', reason });

	it('after an approved change alters the cost: a new version, the old one superseded and still downloadable, signatures needed again, all on the timeline', async () => {
		const { id, first } = await inDelivery();
		const unchanged = await refused(reissue(id), 'BAD_REQUEST');
		expect(unchanged.message).toMatch(/terms have not changed since version 1 \(£40,000 for 12 places\)/);
		const { changeId } = await feasibility(id, { costedTotalPence: 45_000_00, contingencyPence: 4_000_00, reason: 'Steel prices' });
		await refused(reissue(id), 'BAD_REQUEST', /waiting for a decision/);
		await decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Within headroom' });
		await refused(reissue(id, f.head), 'FORBIDDEN');
		// The page offers the reissue to officers only once the terms have moved.
		expect((await schemePage(db, f.officer, id)).may.reissue).toBe(true);
		expect((await schemePage(db, f.head, id)).may.reissue).toBe(false);
		const noReason = await refused(reissue(id, f.officer, ''), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toEqual(['Say why the agreement is reissued']);

		const { agreementId } = await reissue(id);
		const versions = await db.selectFrom('capital_scheme_agreement').select(['id', 'agreement_version', 'amount_pence', 'status', 'superseded_by', 'superseded_reason']).where('application_id', '=', id).orderBy('agreement_version').execute();
		expect(versions).toEqual([
			{ id: first, agreement_version: 1, amount_pence: 40_000_00, status: 'superseded', superseded_by: f.officer.id, superseded_reason: 'The approved cost went up' },
			{ id: agreementId, agreement_version: 2, amount_pence: 45_000_00, status: 'issued', superseded_by: null, superseded_reason: null }
		]);
		expect(await stageOf(id)).toBe('agreement');
		const page = await schemePage(db, f.head, id);
		expect(page.agreement).toMatchObject({ id: agreementId, agreement_version: 2, status: 'issued' });
		expect(page.superseded).toEqual([expect.objectContaining({ id: first, agreement_version: 1, superseded_by_name: 'Olive Officer', superseded_reason: 'The approved cost went up' })]);
		expect(page.signatures.map((sig) => sig.signed)).toEqual([null]);
		expect((await schemePage(db, f.officer, id)).may.reissue).toBe(false);
		// Both versions download through the policy, and each look is logged; another district's head sees neither.
		const [old, current] = [await downloadAgreement(db, f.head, id, first), await downloadAgreement(db, f.head, id, agreementId)];
		expect(old.name).toMatch(/-v1\.pdf$/);
		expect(current.name).toMatch(/-v2\.pdf$/);
		// The old one says so (in its title; the page text is compressed), the new one does not.
		expect(old.content.toString('latin1')).toContain('version 1, superseded');
		expect(current.content.toString('latin1')).not.toContain('superseded');
		await refused(downloadAgreement(db, valeHead, id, first), 'FORBIDDEN');
		expect(await db.selectFrom('capital_scheme_agreement_download').select('agreement_id').where('agreement_id', 'in', [first, agreementId]).execute()).toHaveLength(2);
		// The old version cannot be signed; delivery waits for the new one's signatures.
		await refused(signAgreement(db, f.head, { applicationId: id, agreementId: first, settingId: f.settings.west, capacity: 'trust', signedForName: 'Chief executive' }), 'CONFLICT', /superseded/);
		await refused(move(id, 'start_delivery'), 'BAD_REQUEST', /every signature on the funding agreement/);
		await signAgreement(db, f.head, { applicationId: id, agreementId, settingId: f.settings.west, capacity: 'trust', signedForName: 'Chief executive' });
		await move(id, 'start_delivery');
		expect(await stageOf(id)).toBe('in_delivery');
		const logged = await db.selectFrom('audit_log').select(['reason', sql<string>`detail ->> 'summary'`.as('summary')]).where('subject_id', '=', id).where('action', '=', 'capital.scheme_agreement_reissued').execute();
		expect(logged).toEqual([{ reason: 'The approved cost went up', summary: expect.stringMatching(/as version 2: £45,000 for 12 places \(version 1, £40,000 for 12 places, is superseded\)/) }]);
	});

	it('a stale page is a conflict, and two officers reissuing at once make one new version', async () => {
		const { id } = await inDelivery();
		const { changeId } = await feasibility(id, { costedTotalPence: 42_000_00, contingencyPence: 4_000_00, reason: 'Drainage' });
		await decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Fine' });
		await refused(reissueAgreement(db, f.officer, { applicationId: id, version: 0, clawbackYears: 10, conditions: 'x', reason: 'y' }), 'CONFLICT');
		const results = await Promise.allSettled([reissue(id, f.officer), reissue(id, f.secondOfficer)]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await db.selectFrom('capital_scheme_agreement').select('id').where('application_id', '=', id).execute()).toHaveLength(2);
	});
});

describe('double submits', () => {
	it('a feasibility that moves the cost, posted twice at once, records one change request and one timeline entry', async () => {
		const id = await schemeAt('feasibility', 40_000_00);
		const version = await versionOf(id);
		const send = () =>
			recordFeasibility(db, f.officer, { applicationId: id, version, surveyDoneOn: ukToday(), costedTotalPence: 43_000_00, contingencyPence: 4_000_00, planningNeeded: false, reason: 'Ground works' });
		const [first, second] = await postedTwice('/(app)/capital/applications/[id]/scheme feasibility', f.officer.id, send);
		expect(second).toEqual(first);
		expect(await db.selectFrom('capital_scheme_change').select('id').where('application_id', '=', id).execute()).toHaveLength(1);
		expect(await db.selectFrom('audit_log').select('id').where('subject_id', '=', id).where('action', '=', 'capital.scheme_change_requested').execute()).toHaveLength(1);
		expect(await versionOf(id)).toBe(version + 1);
	});

	it('a decision, a statutory step and a milestone each posted twice take effect once', async () => {
		const id = await schemeAt('feasibility', 40_000_00);
		await commit(id, 40_000_00);
		const { changeId } = await feasibility(id, { costedTotalPence: 41_000_00, contingencyPence: 4_000_00, reason: 'Fire doors' });
		const decided = await postedTwice('/(app)/capital/applications/[id]/scheme decide', f.secondOfficer.id, () =>
			decideChange(db, f.secondOfficer, { applicationId: id, changeId, decision: 'approve', sourceId: f.sources.tranche1, year: 2026, reason: 'Needed' })
		);
		expect(decided[1]).toEqual(decided[0]);
		expect(await db.selectFrom('capital_commitment').select('id').where('application_id', '=', id).execute()).toHaveLength(2);
		await move(id, 'start_statutory');
		const before = await versionOf(id);
		await postedTwice('/(app)/capital/applications/[id]/scheme step', f.officer.id, () =>
			recordStatutoryStep(db, f.officer, { applicationId: id, step: 'significant_change', status: 'in_progress', statusOn: ukToday(), note: '' })
		);
		expect(await versionOf(id)).toBe(before + 1);
		expect(await db.selectFrom('audit_log').select('id').where('subject_id', '=', id).where('action', '=', 'capital.scheme_statutory_recorded').execute()).toHaveLength(1);
		await db.updateTable('capital_application').set({ stage: 'in_delivery' }).where('id', '=', id).execute();
		const [added, again] = await postedTwice(
			'/(app)/capital/applications/[id]/scheme milestone',
			f.officer.id,
			() => addMilestone(db, f.officer, { applicationId: id, title: 'Works start', dueOn: ukToday() }),
			false
		);
		expect(again).toEqual(added);
		expect(await db.selectFrom('capital_scheme_milestone').select('id').where('application_id', '=', id).execute()).toHaveLength(1);
	});
});

describe('statutory steps, the agreement, delivery and opening', () => {
	it('an academy’s scheme needs its significant change approved (and planning when the feasibility says so) before the agreement; the refusal names each missing thing', async () => {
		const id = await schemeAt('feasibility');
		await feasibility(id, { planningNeeded: true });
		const wrong = await refused(recordStatutoryStep(db, f.officer, { applicationId: id, step: 'prescribed_alteration', status: 'approved', statusOn: ukToday() }), 'BAD_REQUEST');
		expect(wrong.fieldErrors?.step?.[0]).toMatch(/does not apply.*significant change \(academy\), planning permission/);
		await refused(recordStatutoryStep(db, f.head, { applicationId: id, step: 'significant_change', status: 'approved', statusOn: ukToday() }), 'FORBIDDEN');
		const bad = await refused(recordStatutoryStep(db, f.officer, { applicationId: id, step: 'significant_change', status: 'maybe', statusOn: '31/02/2026' }), 'BAD_REQUEST');
		expect(Object.keys(bad.fieldErrors ?? {})).toEqual(expect.arrayContaining(['status', 'statusOn']));
		await move(id, 'start_statutory');
		await recordStatutoryStep(db, f.officer, { applicationId: id, step: 'significant_change', status: 'approved', statusOn: ukToday(), note: 'RSC approved' });
		const refusal = await refused(issueAgreement(db, f.officer, { applicationId: id, version: await versionOf(id), clawbackYears: 10, conditions: 'Keep the base open.' }), 'BAD_REQUEST');
		expect(refusal.message).toContain('planning permission recorded as approved (it is not started)');
		expect(refusal.message).toContain('the equalities impact assessment');
		expect(refusal.message).toContain('£0 of £400,000 is committed');
		expect(await stageOf(id)).toBe('statutory');
	});

	it('end to end: agreement issued as a PDF, signed for the trust, delivered by milestones and opened with occupied places recorded after', async () => {
		const id = await schemeAt('feasibility');
		await feasibility(id);
		await move(id, 'start_statutory');
		await recordStatutoryStep(db, f.officer, { applicationId: id, step: 'significant_change', status: 'approved', statusOn: ukToday() });
		await refused(recordEia(db, f.head, { applicationId: id, assessedOn: ukToday(), summary: 'No adverse impact' }), 'FORBIDDEN');
		const emptyEia = await refused(recordEia(db, f.officer, { applicationId: id, assessedOn: ukToday(), summary: '  ' }), 'BAD_REQUEST');
		expect(emptyEia.fieldErrors?.summary?.[0]).toMatch(/Summarise/);
		await recordEia(db, f.officer, { applicationId: id, assessedOn: ukToday(), summary: 'Step-free access and a quiet room; positive for disabled pupils.' });
		await commit(id, 400_000_00);
		const badTerms = await refused(issueAgreement(db, f.officer, { applicationId: id, version: await versionOf(id), clawbackYears: 0, conditions: '' }), 'BAD_REQUEST');
		expect(Object.keys(badTerms.fieldErrors ?? {})).toEqual(expect.arrayContaining(['clawbackYears', 'conditions']));
		await refused(issueAgreement(db, f.head, { applicationId: id, version: await versionOf(id), clawbackYears: 10, conditions: 'Keep the base open.' }), 'FORBIDDEN');
		const { agreementId } = await issueAgreement(db, f.officer, { applicationId: id, version: await versionOf(id), clawbackYears: 10, conditions: 'Keep the base open.' });
		expect(await stageOf(id)).toBe('agreement');

		const pdf = await downloadAgreement(db, f.head, id, agreementId);
		expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.name).toMatch(/^funding-agreement-CAP-TEST-\d+-v1\.pdf$/);
		await refused(downloadAgreement(db, valeHead, id, agreementId), 'FORBIDDEN');
		expect((await db.selectFrom('capital_scheme_agreement_download').select('user_id').where('agreement_id', '=', agreementId).execute()).map((r) => r.user_id)).toEqual([f.head.id]);

		await refused(move(id, 'start_delivery'), 'BAD_REQUEST', /every signature on the funding agreement/);
		const sign = (actor: Actor, over: Record<string, unknown> = {}) => signAgreement(db, actor, { applicationId: id, agreementId, settingId: f.settings.west, capacity: 'trust', signedForName: 'Chief executive, Windrush Trust', ...over });
		await refused(sign(senco), 'FORBIDDEN', /headteacher/);
		await refused(sign(valeHead), 'FORBIDDEN');
		await refused(sign(f.officer), 'FORBIDDEN');
		await refused(sign(f.head, { capacity: 'headteacher' }), 'FORBIDDEN', /trust signs/);
		const nameless = await refused(sign(f.head, { signedForName: '' }), 'BAD_REQUEST');
		expect(nameless.fieldErrors?.signedForName).toBeDefined();
		expect((await sign(f.head)).signed).toBe(true);
		expect((await sign(f.head)).signed).toBe(true);
		expect(await db.selectFrom('capital_scheme_agreement_signature').select('id').where('agreement_id', '=', agreementId).execute()).toHaveLength(1);

		await move(id, 'start_delivery');
		expect(await stageOf(id)).toBe('in_delivery');
		await refused(move(id, 'open'), 'BAD_REQUEST', /the delivery milestones/);
		await refused(addMilestone(db, f.head, { applicationId: id, title: 'Works start', dueOn: ukToday() }), 'FORBIDDEN');
		const noTitle = await refused(addMilestone(db, f.officer, { applicationId: id, title: '', dueOn: 'soon' }), 'BAD_REQUEST');
		expect(Object.keys(noTitle.fieldErrors ?? {})).toEqual(expect.arrayContaining(['title', 'dueOn']));
		const { milestoneId } = await addMilestone(db, f.officer, { applicationId: id, title: 'Works complete', dueOn: ukToday() });
		await refused(move(id, 'open'), 'BAD_REQUEST', /0 of 1/);
		await completeMilestone(db, f.officer, { applicationId: id, milestoneId, doneOn: ukToday() });
		await move(id, 'open');
		expect(await stageOf(id)).toBe('open');
		const opened = await db.selectFrom('audit_log').select(sql<string>`detail ->> 'summary'`.as('summary')).where('subject_id', '=', id).where('action', '=', 'capital.scheme_open').executeTakeFirstOrThrow();
		expect(opened.summary).toMatch(/12 places commissioned/);
		// Occupied places each term after, never more than commissioned (the money module's record).
		await refused(recordOccupancy(db, f.officer, { applicationId: id, year: 2027, term: 'autumn', occupied: 13 }), 'BAD_REQUEST', /12 places/);
		await recordOccupancy(db, f.officer, { applicationId: id, year: 2027, term: 'autumn', occupied: 9 });
	});

	it('a stale version is a conflict; a move that is not a step from here names the stage', async () => {
		const id = await schemeAt('approved_in_principle');
		await refused(moveScheme(db, f.officer, { applicationId: id, version: 0, move: 'start_feasibility' }), 'CONFLICT');
		await refused(move(id, 'open'), 'BAD_REQUEST', /not possible while the application is “approved in principle”/);
		await refused(schemePage(db, f.officer, await f.application({ stage: 'in_assessment' })), 'FORBIDDEN', /not a costed scheme/);
	});
});
