import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { applicationFunding, commitFunding, decideTransfer, moneyOverview, proposeTransfer, recordOccupancy, recordSpend } from '../../src/lib/server/capital/money';
import { capitalHistory, updateLine, updateSource } from '../../src/lib/server/capital';
import { moneyFixture, moneyWritten, refused, type MoneyFixture } from './capital-money-fixture';
import { postedTwice } from './posts';
import { loadActor } from '../../src/lib/server/auth/actor';

// Money by source against a real PostgreSQL: only officers commit, and only against confirmed
// funding within the source's year, the line's allocation and the request; concurrent commitments
// in two connections never over-commit; moves between lines need a second officer.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
});

afterAll(async () => {
	await test?.close();
});

const commit = (applicationId: number, over: Record<string, unknown> = {}) => ({
	applicationId,
	kind: 'committed',
	sourceId: f.sources.tranche1,
	year: 2026,
	amountPence: 10_000_00,
	reason: 'Grant offered by the early years panel',
	...over
});

describe('committing money to an application', () => {
	it('an officer commits confirmed money to an approved application; it is recorded with who and why, and the programme’s room is told', async () => {
		const id = await f.application({ stage: 'grant_offered' });
		await commitFunding(db, f.officer, commit(id));
		const funding = await applicationFunding(db, f.officer, id);
		expect(funding.totals).toMatchObject({ committed: 10_000_00, planned: 0 });
		expect(funding.history[0]).toMatchObject({ who: 'Olive Officer', summary: 'Committed £10,000 from HNCPA tranche 1 in 2026/27 (Early years support base)', reason: 'Grant offered by the early years panel' });
		const events = await db.selectFrom('live_event').select(['room', 'kind', 'payload']).where('kind', '=', 'money.changed').execute();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ room: 'capital:1', payload: { subject: 'commitment', applicationId: id, kind: 'committed' } });
	});

	it('people who are not officers cannot commit, see or record money, and the officer who started an application cannot fund it; nothing is written', async () => {
		const id = await f.application({ stage: 'grant_offered' });
		const ownId = await f.application({ stage: 'grant_offered', createdBy: f.officer.id });
		const before = await moneyWritten(db);
		const head = await refused(commitFunding(db, f.head, commit(id)), 'FORBIDDEN');
		expect(head.message).toBe('Only council officers can see and move the capital programme’s money.');
		await refused(commitFunding(db, null, commit(id)), 'FORBIDDEN');
		await refused(applicationFunding(db, f.head, id), 'FORBIDDEN');
		await refused(moneyOverview(db, f.head, null), 'FORBIDDEN');
		await refused(recordSpend(db, f.head, { applicationId: id, amountPence: 100, spentOn: '2026-11-01', note: 'Paint' }), 'FORBIDDEN');
		const own = await refused(commitFunding(db, f.officer, commit(ownId)), 'FORBIDDEN');
		expect(own.message).toBe('You started this application, so another officer must commit money to it.');
		expect(await moneyWritten(db)).toEqual(before);
		// Another officer may.
		await commitFunding(db, f.secondOfficer, commit(ownId));
	});

	it('an assumed tranche is refused for a commitment beside the source, but can be planned against, kept apart', async () => {
		const id = await f.application({ stage: 'grant_offered' });
		const before = await moneyWritten(db);
		const assumed = await refused(commitFunding(db, f.officer, commit(id, { sourceId: f.sources.tranche2, year: 2027 })), 'BAD_REQUEST');
		expect(assumed.fieldErrors?.sourceId).toEqual(['HNCPA tranche 2 is assumed, not confirmed: you can plan against it, but commit only against confirmed funding.']);
		expect(await moneyWritten(db)).toEqual(before);
		await commitFunding(db, f.officer, commit(id, { kind: 'planned', sourceId: f.sources.tranche2, year: 2027 }));
		const funding = await applicationFunding(db, f.officer, id);
		expect(funding.totals).toMatchObject({ committed: 0, planned: 10_000_00 });
		const overview = await moneyOverview(db, f.officer, null);
		const tranche2 = overview.sources.find((s) => s.id === f.sources.tranche2)!;
		expect(tranche2.years).toContainEqual({ year: 2027, profiled: 11_299_000_00, committed: 0, planned: 10_000_00 });
	});

	it('past the line’s allocation, past the year’s profile, a year outside it, a source that does not fund the line, or before approval: each refused field by field', async () => {
		const id = await f.application({ line: 'secondary', stage: 'approved', requestedPence: null });
		const early = await f.application({ stage: 'in_assessment' });
		const overYear = await refused(commitFunding(db, f.officer, commit(id, { sourceId: f.sources.other, amountPence: 200_000_01 })), 'BAD_REQUEST');
		expect(overYear.fieldErrors?.amountPence).toEqual(['Existing capital has £200,000 left to commit in 2026/27; £200,000.01 would over-commit it.']);
		const noYear = await refused(commitFunding(db, f.officer, commit(id, { sourceId: f.sources.other, year: 2028 })), 'BAD_REQUEST');
		expect(noYear.fieldErrors?.year).toEqual(['Existing capital has no money profiled for 2028/29. Choose a year in its profile.']);
		const notFunded = await refused(commitFunding(db, f.officer, commit(early, { sourceId: f.sources.other })), 'BAD_REQUEST');
		expect(notFunded.fieldErrors?.sourceId).toEqual(['Existing capital may not fund the line Early years support base. Choose a source that funds it, or change the source’s lines first.']);
		expect(notFunded.fieldErrors?.kind?.[0]).toMatch(/only once the application is approved/);
		const overLine = await refused(commitFunding(db, f.officer, commit(id, { amountPence: 3_570_000_01 })), 'BAD_REQUEST');
		expect(overLine.fieldErrors?.amountPence).toEqual(['The line Secondary inclusion/support base has £3,570,000 of its allocation left; £3,570,000.01 would go past it.']);
		const bad = await refused(commitFunding(db, f.officer, { ...commit(id), amountPence: 'lots', kind: 'maybe', reason: '' }), 'BAD_REQUEST');
		expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['amountPence', 'kind', 'reason']);
		await refused(commitFunding(db, f.officer, commit(2_000_000)), 'NOT_FOUND');
	});
});

describe('concurrent commitments never over-commit', () => {
	it('two officers committing the last of a line’s allocation at once, from two sources in two connections: one is refused', async () => {
		const line = await db.insertInto('capital_line').values({ name: 'Race line', process: 'grant', allocation_pence: 15_000_00, place_definition: 'x' }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values([{ source_id: f.sources.tranche1, line_id: line.id }, { source_id: f.sources.other, line_id: line.id }]).execute();
		for (let round = 0; round < 4; round++) {
			await db.updateTable('capital_line').set({ allocation_pence: round * 10_000_00 + 15_000_00 }).where('id', '=', line.id).execute();
			const a = await f.application({ stage: 'grant_offered' });
			const b = await f.application({ stage: 'grant_offered' });
			await db.updateTable('capital_application').set({ line_id: line.id }).where('id', 'in', [a, b]).execute();
			const results = await Promise.allSettled([
				commitFunding(db, f.officer, commit(a, { sourceId: f.sources.tranche1 })),
				commitFunding(db, f.secondOfficer, commit(b, { sourceId: f.sources.other }))
			]);
			expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(['fulfilled', 'rejected']);
			const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(refusal.reason.fieldErrors?.amountPence?.[0]).toMatch(/of its allocation left/);
		}
		const { total } = await db.selectFrom('capital_commitment').select((eb) => eb.fn.sum<string>('amount_pence').as('total')).where('line_id', '=', line.id).executeTakeFirstOrThrow();
		expect(Number(total)).toBe(4 * 10_000_00);
	});

	it('two commitments racing for the last of a source’s year, on two lines: one is refused', async () => {
		const source = await db.insertInto('capital_source').values({ name: 'Race source', status: 'confirmed', amount_pence: 15_000_00, profile: JSON.stringify({ '2026': 15_000_00 }) }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values([{ source_id: source.id, line_id: f.lines.earlyYears }, { source_id: source.id, line_id: f.lines.secondary }]).execute();
		const a = await f.application({ stage: 'grant_offered' });
		const b = await f.application({ line: 'secondary', stage: 'approved' });
		const results = await Promise.allSettled([commitFunding(db, f.officer, commit(a, { sourceId: source.id })), commitFunding(db, f.secondOfficer, commit(b, { sourceId: source.id }))]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(refusal.reason.fieldErrors?.amountPence).toEqual(['Race source has £5,000 left to commit in 2026/27; £10,000 would over-commit it.']);
	});
});

describe('moving money between lines', () => {
	it('one officer proposes, another approves; the lines change and both histories say who proposed, who approved and why', async () => {
		const before = await db.selectFrom('capital_line').select(['id', 'allocation_pence']).where('id', 'in', [f.lines.earlyYears, f.lines.secondary]).orderBy('id').execute();
		const { id } = await proposeTransfer(db, f.officer, { fromLineId: f.lines.secondary, toLineId: f.lines.earlyYears, amountPence: '50000', reason: 'More nurseries applied' });
		const unchanged = await db.selectFrom('capital_line').select(['id', 'allocation_pence']).where('id', 'in', [f.lines.earlyYears, f.lines.secondary]).orderBy('id').execute();
		expect(unchanged).toEqual(before);
		const own = await refused(decideTransfer(db, f.officer, { transferId: id, version: 1, decision: 'approve', reason: 'Fine' }), 'FORBIDDEN');
		expect(own.message).toBe('You proposed this move, so another officer must approve or turn it down.');
		await refused(decideTransfer(db, f.head, { transferId: id, version: 1, decision: 'approve', reason: 'Fine' }), 'FORBIDDEN');
		await refused(proposeTransfer(db, f.head, { fromLineId: f.lines.secondary, toLineId: f.lines.earlyYears, amountPence: '1', reason: 'x' }), 'FORBIDDEN');
		await decideTransfer(db, f.secondOfficer, { transferId: id, version: 1, decision: 'approve', reason: 'Agreed at the capital board' });
		const after = await db.selectFrom('capital_line').select(['id', 'allocation_pence']).where('id', 'in', [f.lines.earlyYears, f.lines.secondary]).orderBy('id').execute();
		expect(after.map((l) => l.allocation_pence)).toEqual([before[0].allocation_pence! + 50_000_00, before[1].allocation_pence! - 50_000_00]);
		expect((await capitalHistory(db, 'capital_line', f.lines.earlyYears))[0]).toMatchObject({
			who: 'Owen Officer',
			summary: 'Received £50,000 from Secondary inclusion/support base (approved move proposed by Olive Officer). Allocation: £1,000,000 → £1,050,000',
			reason: 'Agreed at the capital board'
		});
		const overview = await moneyOverview(db, f.officer, null);
		expect(overview.transfers[0]).toMatchObject({ id, status: 'approved', proposer: 'Olive Officer', decider: 'Owen Officer' });
		expect(overview.history.map((h) => h.action)).toEqual(['capital.transfer_approved', 'capital.transfer_proposed']);
		// The proposer is told.
		const told = await db.selectFrom('notification').select('title').where('user_id', '=', f.officer.id).execute();
		expect(told.map((n) => n.title)).toContain('Approved moving £50,000 from Secondary inclusion/support base to Early years support base, proposed by Olive Officer');
		// Deciding twice is a conflict naming who decided.
		const twice = await refused(decideTransfer(db, f.secondOfficer, { transferId: id, version: 1, decision: 'reject', reason: 'Changed my mind' }), 'CONFLICT');
		expect(twice.message).toMatch(/^Owen Officer has already decided this move/);
	});

	it('a move never takes what a line has committed; turning one down changes nothing but its status', async () => {
		const line = await db.insertInto('capital_line').values({ name: 'Small line', process: 'grant', allocation_pence: 20_000_00, place_definition: 'x' }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: line.id }).execute();
		const app = await f.application({ stage: 'grant_offered' });
		await db.updateTable('capital_application').set({ line_id: line.id }).where('id', '=', app).execute();
		await commitFunding(db, f.officer, commit(app));
		const { id } = await proposeTransfer(db, f.officer, { fromLineId: line.id, toLineId: f.lines.earlyYears, amountPence: '10000.01', reason: 'Unused' });
		const before = await moneyWritten(db);
		const tooMuch = await refused(decideTransfer(db, f.secondOfficer, { transferId: id, version: 1, decision: 'approve', reason: 'Yes' }), 'BAD_REQUEST');
		expect(tooMuch.fieldErrors?.decision).toEqual(['Small line has £10,000 not yet committed; £10,000.01 cannot be moved out of it.']);
		expect(await moneyWritten(db)).toEqual(before);
		await decideTransfer(db, f.secondOfficer, { transferId: id, version: 1, decision: 'reject', reason: 'The money is committed' });
		expect((await moneyWritten(db)).lines).toEqual(before.lines);
		const same = await refused(proposeTransfer(db, f.officer, { fromLineId: line.id, toLineId: line.id, amountPence: '1', reason: 'x' }), 'BAD_REQUEST');
		expect(same.fieldErrors?.toLineId).toBeDefined();
	});
});

describe('a proposed move under double submits and two deciders', () => {
	it('a proposal posted twice at once is one proposal; two officers deciding it at once leave one decision, and the other is told who decided', async () => {
		const proposals = async () => (await db.selectFrom('capital_allocation_transfer').select('id').where('reason', '=', 'Twice posted').execute()).length;
		const [first, second] = await postedTwice('/(app)/capital/lines/[id] move', f.officer.id, () =>
			proposeTransfer(db, f.officer, { fromLineId: f.lines.secondary, toLineId: f.lines.earlyYears, amountPence: '100', reason: 'Twice posted' })
		);
		expect(second).toEqual(first);
		expect(await proposals()).toBe(1);
		const { id: thirdId } = await db.insertInto('app_user').values({ name: 'Tom Officer', email: 'tom.officer@example.org', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow();
		const third = (await loadActor(db, thirdId))!;
		const before = await db.selectFrom('capital_line').select(['id', 'allocation_pence']).where('id', 'in', [f.lines.earlyYears, f.lines.secondary]).orderBy('id').execute();
		const results = await Promise.allSettled([
			decideTransfer(db, f.secondOfficer, { transferId: first.id, version: 1, decision: 'approve', reason: 'Yes' }),
			decideTransfer(db, third, { transferId: first.id, version: 1, decision: 'approve', reason: 'Also yes' })
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const decided = await db.selectFrom('capital_allocation_transfer as t').innerJoin('app_user as u', 'u.id', 't.decided_by').select('u.name').where('t.id', '=', first.id).executeTakeFirstOrThrow();
		await refused(Promise.reject((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason), 'CONFLICT', new RegExp(`^${decided.name} has already decided this move`));
		// Moved once, not twice.
		const after = await db.selectFrom('capital_line').select(['id', 'allocation_pence']).where('id', 'in', [f.lines.earlyYears, f.lines.secondary]).orderBy('id').execute();
		expect(after.map((l) => l.allocation_pence)).toEqual([before[0].allocation_pence! + 100_00, before[1].allocation_pence! - 100_00]);
	});
});

/** A line's edit form as saved (pence as numbers), with the changes asked for. */
async function lineEdit(lineId: number, over: Record<string, unknown>) {
	const l = await db.selectFrom('capital_line').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
	return {
		lineId,
		version: l.version,
		name: l.name,
		process: l.process,
		allocationPence: l.allocation_pence ?? '',
		maxPerBasePence: l.max_per_base_pence ?? '',
		benchmarkPerPlacePence: l.benchmark_per_place_pence ?? '',
		standardBandPence: l.standard_band_pence ?? '',
		enhancedBandPence: l.enhanced_band_pence ?? '',
		enhancedSharePercent: l.enhanced_share_percent ?? '',
		placesMin: l.places_min ?? '',
		placesMax: l.places_max ?? '',
		plannedBases: l.planned_bases ?? '',
		plannedPlaces: l.planned_places ?? '',
		placeDefinition: l.place_definition,
		assumptions: l.assumptions,
		eligibleSettingTypes: l.eligible_setting_types,
		reason: 'Cabinet changed the programme',
		...over
	};
}

/** A source's edit form as saved, with the changes asked for. */
async function sourceEdit(sourceId: number, over: Record<string, unknown>) {
	const s = await db.selectFrom('capital_source').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow();
	const lines = await db.selectFrom('capital_source_line').select('line_id').where('source_id', '=', sourceId).execute();
	return {
		sourceId,
		version: s.version,
		name: s.name,
		amountPence: s.amount_pence,
		status: s.status,
		profile: Object.entries(s.profile).map(([year, amountPence]) => ({ year: Number(year), amountPence })),
		lineIds: lines.map((l) => l.line_id),
		notes: s.notes,
		reason: 'The tranche changed',
		...over
	};
}

/** A line of its own with an approved application on it, funded by tranche 1. */
async function lineWithApplication(name: string, allocationPence: number) {
	const line = await db.insertInto('capital_line').values({ name, process: 'grant', allocation_pence: allocationPence, place_definition: 'x' }).returning('id').executeTakeFirstOrThrow();
	await db.insertInto('capital_source_line').values({ source_id: f.sources.tranche1, line_id: line.id }).execute();
	const app = await f.application({ stage: 'grant_offered' });
	await db.updateTable('capital_application').set({ line_id: line.id }).where('id', '=', app).execute();
	return { lineId: line.id, app };
}

describe('allocations and sources never drop below what is committed', () => {
	it('a line’s allocation cannot be cut below what is committed against it, with the figure named beside the field; down to it is fine', async () => {
		const { lineId, app } = await lineWithApplication('Cut line', 30_000_00);
		await commitFunding(db, f.officer, commit(app));
		const before = await moneyWritten(db);
		const below = await refused(updateLine(db, f.secondOfficer, await lineEdit(lineId, { allocationPence: 9_999_99 })), 'BAD_REQUEST');
		expect(below.fieldErrors?.allocationPence).toEqual(['£10,000 is already committed against Cut line, so its allocation cannot be set to £9,999.99. Set it to £10,000 or more.']);
		const cleared = await refused(updateLine(db, f.secondOfficer, await lineEdit(lineId, { allocationPence: '' })), 'BAD_REQUEST');
		expect(cleared.fieldErrors?.allocationPence?.[0]).toMatch(/cannot be cleared/);
		expect(await moneyWritten(db)).toEqual(before);
		await updateLine(db, f.secondOfficer, await lineEdit(lineId, { allocationPence: 10_000_00 }));
		expect((await db.selectFrom('capital_line').select('allocation_pence').where('id', '=', lineId).executeTakeFirstOrThrow()).allocation_pence).toBe(10_000_00);
		// Plans hold no money, so they do not hold the allocation up.
		const { lineId: planned, app: plannedApp } = await lineWithApplication('Planned line', 30_000_00);
		await commitFunding(db, f.officer, commit(plannedApp, { kind: 'planned' }));
		await updateLine(db, f.secondOfficer, await lineEdit(planned, { allocationPence: 0 }));
	});

	it('a source’s amount, a year of its profile, its confirmed status and the lines holding its commitments cannot go below what is committed', async () => {
		const source = await db.insertInto('capital_source').values({ name: 'Cut source', status: 'confirmed', amount_pence: 50_000_00, profile: JSON.stringify({ '2026': 30_000_00, '2027': 20_000_00 }) }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values([{ source_id: source.id, line_id: f.lines.earlyYears }, { source_id: source.id, line_id: f.lines.secondary }]).execute();
		const app = await f.application({ stage: 'grant_offered' });
		await commitFunding(db, f.officer, commit(app, { sourceId: source.id, amountPence: 10_000_00 }));
		const before = await moneyWritten(db);
		const amount = await refused(updateSource(db, f.secondOfficer, await sourceEdit(source.id, { amountPence: 9_000_00 })), 'BAD_REQUEST');
		expect(amount.fieldErrors?.amountPence).toEqual(['£10,000 is already committed from Cut source, so its amount cannot be £9,000. Set it to £10,000 or more.']);
		const profile = await refused(updateSource(db, f.secondOfficer, await sourceEdit(source.id, { profile: [{ year: 2027, amountPence: 20_000_00 }] })), 'BAD_REQUEST');
		expect(profile.fieldErrors?.profile).toEqual(['The profile cannot go below what is already committed from Cut source: £10,000 in 2026/27.']);
		const assumed = await refused(updateSource(db, f.secondOfficer, await sourceEdit(source.id, { status: 'assumed' })), 'BAD_REQUEST');
		expect(assumed.fieldErrors?.status?.[0]).toMatch(/cannot go back to assumed/);
		const lines = await refused(updateSource(db, f.secondOfficer, await sourceEdit(source.id, { lineIds: [f.lines.secondary] })), 'BAD_REQUEST');
		expect(lines.fieldErrors?.lineIds).toEqual(['Cut source has money committed to Early years support base (£10,000), so it must still fund that line.']);
		expect(await moneyWritten(db)).toEqual(before);
		// Down to what is committed is fine, and recorded.
		await updateSource(db, f.secondOfficer, await sourceEdit(source.id, { amountPence: 10_000_00, profile: [{ year: 2026, amountPence: 10_000_00 }], lineIds: [f.lines.earlyYears] }));
		expect((await capitalHistory(db, 'capital_source', source.id))[0].summary).toMatch(/^Changed Amount: £50,000 → £10,000/);
	});

	it('an allocation cut and an approval’s commitment racing in two connections, in either order: the later is refused and the line is never over-committed', async () => {
		for (const cutFirst of [true, false]) {
			const { lineId, app } = await lineWithApplication(`Race cut line ${cutFirst}`, 30_000_00);
			const first = await f.application({ stage: 'grant_offered' });
			await db.updateTable('capital_application').set({ line_id: lineId }).where('id', '=', first).execute();
			await commitFunding(db, f.officer, commit(first));
			// £10,000 committed: a cut to £15,000 and a further £10,000 cannot both stand.
			const edit = await lineEdit(lineId, { allocationPence: 15_000_00 });
			const cut = () => updateLine(db, f.secondOfficer, edit);
			const approve = () => commitFunding(db, f.officer, commit(app));
			const [earlier, later] = await inLockOrder(sql`select id from capital_line where id = ${lineId} for update`, cutFirst ? [cut, approve] : [approve, cut]);
			expect(earlier.status, `cut first: ${cutFirst}`).toBe('fulfilled');
			expect(later.status, `cut first: ${cutFirst}`).toBe('rejected');
			const refusal = (later as PromiseRejectedResult).reason;
			if (cutFirst) expect(refusal.fieldErrors?.amountPence?.[0]).toMatch(/has £5,000 of its allocation left/);
			else expect(refusal.fieldErrors?.allocationPence).toEqual([`£20,000 is already committed against Race cut line false, so its allocation cannot be set to £15,000. Set it to £20,000 or more.`]);
			const { allocation_pence } = await db.selectFrom('capital_line').select('allocation_pence').where('id', '=', lineId).executeTakeFirstOrThrow();
			const { total } = await db.selectFrom('capital_commitment').select((eb) => eb.fn.sum<string>('amount_pence').as('total')).where('line_id', '=', lineId).where('kind', '=', 'committed').executeTakeFirstOrThrow();
			expect(Number(total)).toBeLessThanOrEqual(allocation_pence!);
		}
	});

	it('a source’s year cut and a commitment from that year racing, in either order: the year is never over-committed', async () => {
		for (const cutFirst of [true, false]) {
			const source = await db.insertInto('capital_source').values({ name: `Race cut source ${cutFirst}`, status: 'confirmed', amount_pence: 30_000_00, profile: JSON.stringify({ '2026': 30_000_00 }) }).returning('id').executeTakeFirstOrThrow();
			await db.insertInto('capital_source_line').values({ source_id: source.id, line_id: f.lines.secondary }).execute();
			const a = await f.application({ line: 'secondary', stage: 'approved' });
			const b = await f.application({ line: 'secondary', stage: 'approved' });
			await commitFunding(db, f.officer, commit(a, { sourceId: source.id }));
			const edit = await sourceEdit(source.id, { amountPence: 15_000_00, profile: [{ year: 2026, amountPence: 15_000_00 }] });
			const cut = () => updateSource(db, f.secondOfficer, edit);
			const approve = () => commitFunding(db, f.officer, commit(b, { sourceId: source.id }));
			const [earlier, later] = await inLockOrder(sql`select id from capital_source where id = ${source.id} for update`, cutFirst ? [cut, approve] : [approve, cut]);
			expect([earlier.status, later.status], `cut first: ${cutFirst}`).toEqual(['fulfilled', 'rejected']);
			const saved = await db.selectFrom('capital_source').select('profile').where('id', '=', source.id).executeTakeFirstOrThrow();
			const { total } = await db.selectFrom('capital_commitment').select((eb) => eb.fn.sum<string>('amount_pence').as('total')).where('source_id', '=', source.id).where('kind', '=', 'committed').executeTakeFirstOrThrow();
			expect(Number(total)).toBeLessThanOrEqual(saved.profile['2026']);
		}
	});
});

/** Sessions of this database waiting for a lock. */
async function waitingForLocks(): Promise<number> {
	const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
	return Number(rows[0].n);
}

async function untilWaiting(n: number): Promise<void> {
	for (let tries = 0; tries < 200 && (await waitingForLocks()) < n; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(await waitingForLocks()).toBeGreaterThanOrEqual(n);
}

/**
 * Runs two actions in two connections so that they reach a contested row in the order given: a third
 * connection holds the row's lock while the first and then the second queue behind it, then lets go.
 */
async function inLockOrder(lock: RawBuilder<unknown>, actions: [() => Promise<unknown>, () => Promise<unknown>]): Promise<PromiseSettledResult<unknown>[]> {
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	let held = () => {};
	const holding = new Promise<void>((resolve) => (held = resolve));
	const holder = db.transaction().execute(async (trx) => {
		await lock.execute(trx);
		held();
		await released;
	});
	await holding;
	const first = actions[0]().then(
		(value) => ({ status: 'fulfilled', value }) as const,
		(reason: unknown) => ({ status: 'rejected', reason }) as const
	);
	await untilWaiting(1);
	const second = actions[1]().then(
		(value) => ({ status: 'fulfilled', value }) as const,
		(reason: unknown) => ({ status: 'rejected', reason }) as const
	);
	await untilWaiting(2);
	release();
	await holder;
	return Promise.all([first, second]);
}

describe('spending and occupied places', () => {
	it('spend is recorded against what is committed and never passes it', async () => {
		const id = await f.application({ stage: 'claimed' });
		await commitFunding(db, f.officer, commit(id));
		await recordSpend(db, f.officer, { applicationId: id, amountPence: '6000', spentOn: '2026-10-01', note: 'Sensory room fit-out' });
		const over = await refused(recordSpend(db, f.officer, { applicationId: id, amountPence: '4000.01', spentOn: '2026-10-02', note: 'More' }), 'BAD_REQUEST');
		expect(over.fieldErrors?.amountPence?.[0]).toMatch(/would pass what is committed/);
		const future = await refused(recordSpend(db, f.officer, { applicationId: id, amountPence: '1', spentOn: '2099-01-01', note: 'x' }), 'BAD_REQUEST');
		expect(future.fieldErrors?.spentOn).toBeDefined();
		const funding = await applicationFunding(db, f.officer, id);
		expect(funding.totals.spent).toBe(6_000_00);
		expect(funding.history[0].summary).toBe('Recorded £6,000 spent on 1 October 2026: Sensory room fit-out');
	});

	it('occupied places are recorded per term once open, never more than the base has; a second figure for a term replaces the first, both in the history', async () => {
		const open = await f.application({ stage: 'open', places: 8 });
		const building = await f.application({ stage: 'in_delivery', places: 8 });
		await recordOccupancy(db, f.officer, { applicationId: open, year: 2026, term: 'autumn', occupied: '5' });
		await recordOccupancy(db, f.officer, { applicationId: open, year: 2026, term: 'autumn', occupied: '7' });
		const over = await refused(recordOccupancy(db, f.officer, { applicationId: open, year: 2026, term: 'spring', occupied: '9' }), 'BAD_REQUEST');
		expect(over.fieldErrors?.occupied).toEqual(['The base has 8 places; 9 cannot be occupied.']);
		await refused(recordOccupancy(db, f.officer, { applicationId: building, year: 2026, term: 'autumn', occupied: '1' }), 'BAD_REQUEST');
		await refused(recordOccupancy(db, f.head, { applicationId: open, year: 2026, term: 'autumn', occupied: '1' }), 'FORBIDDEN');
		const funding = await applicationFunding(db, f.officer, open);
		expect(funding.occupancy).toEqual([{ year: 2026, term: 'autumn', occupied: 7 }]);
		expect(funding.history.map((h) => h.summary)).toEqual(['Changed the places occupied in Autumn 2026/27: 5 → 7', 'Recorded 5 of 8 places occupied in Autumn 2026/27']);
	});
});
