import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError, type DomainErrorCode } from '../../src/lib/server/errors';
import { can } from '../../src/lib/server/policy';
import {
	capitalHistory,
	createLine,
	createRound,
	createSource,
	createTarget,
	programmeOverview,
	roundForPage,
	roundsPage,
	setCriteria,
	signingSetting,
	stepRound,
	updateLine,
	updateSource,
	updateTarget
} from '../../src/lib/server/capital';
import { addYears, ukToday } from '../../src/lib/dates';

// The capital programme's set-up commands against a real PostgreSQL: each allowed and refused,
// the optimistic version, the history each change leaves, and criteria frozen when a round opens.

let test: TestDatabase;
let db: Database;
let officer: Actor;
let secondOfficer: Actor;
let head: Actor;
let senco: Actor;
const ids = { school: 0, vaSchool: 0 };

async function user(name: string, countyRole: 'officer' | null): Promise<Actor> {
	const row = await db
		.insertInto('app_user')
		.values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`, county_role: countyRole })
		.returning('id')
		.executeTakeFirstOrThrow();
	return (await loadActor(db, row.id))!;
}

async function refused(call: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the command should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	return caught as DomainError;
}

/** Everything the capital commands write, to show a refusal wrote nothing. */
async function written() {
	const counts = await sql<{ n: string }>`select (select count(*) from capital_line) + (select count(*) from capital_source) + (select count(*) from capital_target)
		+ (select count(*) from capital_round) + (select count(*) from capital_round_criterion) + (select count(*) from audit_log) + (select count(*) from live_event) as n`.execute(db);
	const versions = await db.selectFrom('capital_line').select(['id', 'version', 'allocation_pence']).orderBy('id').execute();
	return { n: counts.rows[0].n, versions };
}

const LINE = {
	name: 'Early years support base',
	process: 'grant',
	allocationPence: '1000000',
	maxPerBasePence: '10000',
	benchmarkPerPlacePence: '',
	standardBandPence: '',
	enhancedBandPence: '',
	enhancedSharePercent: '',
	placesMin: '6',
	placesMax: '6',
	plannedBases: '100',
	plannedPlaces: '600',
	placeDefinition: 'A child supported over time',
	assumptions: '',
	eligibleSettingTypes: ['day nursery', 'childminder'],
	reason: ''
};

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const locality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const school = (name: string, urn: string, type: string) =>
		db.insertInto('setting').values({ urn, name, phase: 'primary', setting_type: type, town: 'Banbury', pupil_count: 200, cluster_id: locality.id }).returning('id').executeTakeFirstOrThrow();
	ids.school = (await school('Hill View Primary', '900001', 'community primary')).id;
	ids.vaSchool = (await school('St Mary’s Primary', '900002', 'voluntary aided primary')).id;
	officer = await user('Olive Officer', 'officer');
	secondOfficer = await user('Owen Officer', 'officer');
	const headUser = await user('Hana Head', null);
	const sencoUser = await user('Sam Senco', null);
	await db.insertInto('setting_membership').values([
		{ user_id: headUser.id, setting_id: ids.school, role: 'headteacher' },
		{ user_id: sencoUser.id, setting_id: ids.school, role: 'senco' }
	]).execute();
	head = (await loadActor(db, headUser.id))!;
	senco = (await loadActor(db, sencoUser.id))!;
});

afterAll(async () => {
	await test?.close();
});

describe('programme lines', () => {
	let lineId = 0;

	it('an officer adds a line; it is recorded and told to the programme’s room', async () => {
		({ id: lineId } = await createLine(db, officer, LINE));
		await createLine(db, officer, { ...LINE, name: 'Specialist resource base', process: 'scheme', allocationPence: '', maxPerBasePence: '', placesMin: '16', placesMax: '40', eligibleSettingTypes: [] });
		const line = await db.selectFrom('capital_line').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
		expect(line).toMatchObject({ allocation_pence: 1_000_000_00, max_per_base_pence: 10_000_00, places_min: 6, eligible_setting_types: ['childminder', 'day nursery'] });
		const history = await capitalHistory(db, 'capital_line', lineId);
		expect(history[0]).toMatchObject({ who: 'Olive Officer', summary: 'Added the line Early years support base (Grant, allocation £1,000,000)' });
		const events = await db.selectFrom('live_event').select(['room', 'kind']).where('room', '=', 'capital:1').execute();
		expect(events.length).toBeGreaterThanOrEqual(2);
		expect(events[0].kind).toBe('capital.changed');
	});

	it('a headteacher or SENCO cannot add or change a line, and nothing is written', async () => {
		const before = await written();
		await refused(createLine(db, head, { ...LINE, name: 'Another' }), 'FORBIDDEN');
		await refused(updateLine(db, senco, { ...LINE, lineId, version: 1, allocationPence: '5' }), 'FORBIDDEN');
		await refused(programmeOverview(db, head), 'FORBIDDEN');
		expect(await written()).toEqual(before);
	});

	it('a line’s own assumptions must hang together, and its kinds of setting must exist', async () => {
		const backwards = await refused(createLine(db, officer, { ...LINE, name: 'Backwards', placesMin: '40', placesMax: '16' }), 'BAD_REQUEST');
		expect(backwards.fieldErrors?.placesMax).toEqual(['Most places per base must be at least the fewest places']);
		const unknown = await refused(createLine(db, officer, { ...LINE, name: 'Odd', eligibleSettingTypes: ['castle'] }), 'BAD_REQUEST');
		expect(unknown.fieldErrors?.eligibleSettingTypes).toEqual(['Choose kinds of setting from the list']);
		const taken = await refused(createLine(db, officer, LINE), 'BAD_REQUEST');
		expect(taken.fieldErrors?.name).toEqual(['There is already a line called Early years support base']);
	});

	it('changing money needs a reason; with one, the change and the reason are in the history', async () => {
		const noReason = await refused(updateLine(db, officer, { ...LINE, lineId, version: 1, allocationPence: '1200000' }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toEqual(['Say why the money is changing']);
		const saved = await updateLine(db, officer, { ...LINE, lineId, version: 1, allocationPence: '1200000', reason: 'Cabinet added £200k' });
		expect(saved.version).toBe(2);
		const [latest] = await capitalHistory(db, 'capital_line', lineId);
		expect(latest).toMatchObject({ summary: 'Changed Allocation: £1,000,000 → £1,200,000', reason: 'Cabinet added £200k', who: 'Olive Officer' });
	});

	it('a second officer saving over the first’s change is refused with who changed it and what is saved now', async () => {
		const before = await written();
		const clash = await refused(updateLine(db, secondOfficer, { ...LINE, lineId, version: 1, allocationPence: '900000', reason: 'Cut' }), 'CONFLICT');
		expect(clash.message).toMatch(/^Olive Officer changed this line while you were editing it\. Saved now: allocation £1,200,000/);
		expect(await written()).toEqual(before);
	});

	it('saving with nothing changed is refused rather than recorded', async () => {
		await refused(updateLine(db, officer, { ...LINE, lineId, version: 2, allocationPence: '1200000' }), 'BAD_REQUEST');
	});

});

describe('sources and targets', () => {
	it('an officer adds a source with its profile and lines; confirming it needs a reason', async () => {
		const lines = await db.selectFrom('capital_line').select('id').orderBy('id').execute();
		const input = { name: 'HNCPA tranche 2', amountPence: '11299000', status: 'assumed', profile: [{ year: '2027', amountPence: '11299000' }], lineIds: lines.map((l) => l.id), notes: '', reason: '' };
		const { id } = await createSource(db, officer, input);
		const source = await db.selectFrom('capital_source').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(source.profile).toEqual({ 2027: 11_299_000_00 });
		const noReason = await refused(updateSource(db, officer, { ...input, sourceId: id, version: 1, status: 'confirmed' }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toEqual(['Say why the money is changing']);
		await updateSource(db, officer, { ...input, sourceId: id, version: 1, status: 'confirmed', reason: 'DfE letter of 3 March' });
		expect((await capitalHistory(db, 'capital_source', id))[0]).toMatchObject({ summary: 'Changed Status: Assumed → Confirmed', reason: 'DfE letter of 3 March' });
		await refused(createSource(db, head, { ...input, name: 'Mine' }), 'FORBIDDEN');
		const missing = await refused(createSource(db, officer, { ...input, name: 'Ghost lines', lineIds: [2_000_000] }), 'BAD_REQUEST');
		expect(missing.fieldErrors?.lineIds).toBeDefined();
	});

	it('an officer adds and changes a target with its definition and figures by year', async () => {
		const input = { name: 'DfE inclusion bases', definition: 'Places in DfE inclusion bases', baseline: '207', baselineNote: '16 bases', figures: [{ year: 2026, value: '279' }, { year: 2031, value: '408' }], lineIds: [], reason: '' };
		const { id } = await createTarget(db, officer, input);
		await updateTarget(db, officer, { ...input, targetId: id, version: 1, figures: [{ year: 2026, value: '280' }, { year: 2031, value: '408' }] });
		expect((await capitalHistory(db, 'capital_target', id))[0].summary).toBe('Changed Figures: 2026/27 279, 2031/32 408 → 2026/27 280, 2031/32 408');
		await refused(updateTarget(db, officer, { ...input, targetId: id, version: 1 }), 'CONFLICT');
		const line = await db.selectFrom('capital_line').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow();
		const changed = { ...input, targetId: id, version: 2, figures: [{ year: 2026, value: '280' }, { year: 2031, value: '408' }], lineIds: [line.id] };
		await updateTarget(db, officer, changed);
		expect((await capitalHistory(db, 'capital_target', id))[0].summary).toBe(`Changed Lines that count: none → ${line.name}`);
		const same = await refused(updateTarget(db, officer, { ...changed, version: 3 }), 'BAD_REQUEST');
		expect(same.message).toMatch(/Nothing has changed/);
		await refused(createTarget(db, senco, { ...input, name: 'Other' }), 'FORBIDDEN');
		const noFigures = await refused(createTarget(db, officer, { ...input, name: 'No figures', figures: [] }), 'BAD_REQUEST');
		expect(noFigures.fieldErrors?.figures).toEqual(['Enter the target for at least one financial year']);
	});
});

describe('rounds', () => {
	const closesOn = addYears(ukToday(), 1);
	let roundId = 0;

	it('a draft round is seen by officers only, and its criteria must weigh 100', async () => {
		const lines = await db.selectFrom('capital_line').select('id').orderBy('id').execute();
		({ id: roundId } = await createRound(db, officer, { name: 'Specialist 2026/27', closesOn, guidance: '', lineIds: [lines[1].id] }));
		await refused(roundForPage(db, head, roundId), 'FORBIDDEN');
		expect((await roundsPage(db, head, null)).rounds).toEqual([]);
		expect((await roundsPage(db, officer, null)).rounds.map((r) => r.id)).toEqual([roundId]);
		const heavy = await refused(setCriteria(db, officer, { roundId, version: 1, criteria: [{ name: 'Need', description: '', weight: '60' }, { name: 'Space', description: '', weight: '30' }] }), 'BAD_REQUEST');
		expect(heavy.fieldErrors?.criteria).toEqual(['The weights add up to 90. They must add up to 100']);
		await refused(stepRound(db, officer, { roundId, version: 1, step: 'open', reason: '' }), 'BAD_REQUEST');
		await setCriteria(db, officer, { roundId, version: 1, criteria: [{ name: 'Need', description: 'Need in the area', weight: '60' }, { name: 'Space', description: '', weight: '40' }] });
		await refused(setCriteria(db, head, { roundId, version: 2, criteria: [{ name: 'Mine', description: '', weight: '100' }] }), 'FORBIDDEN');
	});

	it('opening publishes the round and freezes its criteria, in the command and in the database', async () => {
		await stepRound(db, officer, { roundId, version: 2, step: 'open', reason: 'Agreed at capital board' });
		const frozen = await refused(setCriteria(db, officer, { roundId, version: 3, criteria: [{ name: 'Need', description: '', weight: '100' }] }), 'BAD_REQUEST');
		expect(frozen.message).toMatch(/opened, so its criteria and lines are frozen/);
		await expect(db.updateTable('capital_round_criterion').set({ weight: 100 }).where('round_id', '=', roundId).execute()).rejects.toThrow(/frozen/);
		const page = await roundForPage(db, head, roundId);
		expect(page.criteria.map((c) => [c.name, c.weight])).toEqual([['Need', 60], ['Space', 40]]);
		expect(page.history).toEqual([]);
		expect((await roundsPage(db, head, null)).rounds.map((r) => r.id)).toEqual([roundId]);
		expect((await capitalHistory(db, 'capital_round', roundId))[0]).toMatchObject({ summary: 'Opened the round and published its criteria, now frozen', reason: 'Agreed at capital board' });
	});

	it('a round closes once, and only an officer closes it', async () => {
		await refused(stepRound(db, head, { roundId, version: 3, step: 'close', reason: '' }), 'FORBIDDEN');
		await stepRound(db, officer, { roundId, version: 3, step: 'close', reason: '' });
		await refused(stepRound(db, officer, { roundId, version: 4, step: 'close', reason: '' }), 'BAD_REQUEST');
	});
});

describe('who signs for a setting', () => {
	it('reads each setting’s signatories from its type; a voluntary-aided school needs landowner consent', async () => {
		const school = (await signingSetting(db, ids.school))!;
		expect(school).toMatchObject({ signatories: ['headteacher', 'governing_body'], landownerConsent: false });
		expect((await signingSetting(db, ids.vaSchool))!.landownerConsent).toBe(true);
		expect(can(head, { action: 'capital.sign', setting: school, as: 'headteacher' })).toEqual({ allowed: true });
		expect(can(senco, { action: 'capital.sign', setting: school, as: 'headteacher' }).allowed).toBe(false);
		expect(can(officer, { action: 'capital.sign', setting: school, as: 'headteacher' }).allowed).toBe(false);
		expect(await signingSetting(db, 2_000_000)).toBeNull();
	});
});
