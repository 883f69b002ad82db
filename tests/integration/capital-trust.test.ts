import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { startTrustApplications, trustApplyOptions } from '../../src/lib/server/capital/applications';
import { addYears, ukToday } from '../../src/lib/dates';
import { expectRefused as refused } from './refusals';
import { countingStatements } from './statements';
import { postedTwice } from './posts';

// A trust applying for several of its academies at once against a real PostgreSQL: one draft per
// school in one transaction, each with its own timeline; schools outside the trust, of a kind the
// line does not take, or already applying are refused by name; only someone who may record the
// trust's sign-off for every school chosen may start them; a refusal writes nothing.

let test: TestDatabase;
let db: Database;
const ids = { trust: 0, otherTrust: 0, a1: 0, a2: 0, a3: 0, b1: 0, community: 0, scheme: 0, grant: 0, round: 0 };
let head: Actor;
let senco: Actor;

async function user(name: string): Promise<number> {
	return (await db.insertInto('app_user').values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }).returning('id').executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const locality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	ids.trust = (await db.insertInto('academy_trust').values({ name: 'Cherwell Valley Trust', company_number: '01234567' }).returning('id').executeTakeFirstOrThrow()).id;
	ids.otherTrust = (await db.insertInto('academy_trust').values({ name: 'Other Trust' }).returning('id').executeTakeFirstOrThrow()).id;
	const setting = (name: string, urn: string, type: string, trustId: number | null) =>
		db
			.insertInto('setting')
			.values({ urn, name, phase: 'secondary', setting_type: type, town: 'Banbury', pupil_count: 900, cluster_id: locality.id, trust_id: trustId })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	ids.a1 = await setting('Castle Academy', '920001', 'academy', ids.trust);
	ids.a2 = await setting('Meadow Academy', '920002', 'academy', ids.trust);
	ids.a3 = await setting('River Academy', '920003', 'academy', ids.trust);
	ids.b1 = await setting('Hill Academy', '920004', 'academy', ids.otherTrust);
	ids.community = await setting('Town School', '920005', 'community secondary', null);
	const line = (name: string, process: 'scheme' | 'grant', types: string[]) =>
		db.insertInto('capital_line').values({ name, process, place_definition: 'x', eligible_setting_types: types }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
	ids.scheme = await line('Specialist unit', 'scheme', ['academy', 'community secondary']);
	ids.grant = await line('Early years base', 'grant', ['day nursery']);
	ids.round = (await db.insertInto('capital_round').values({ name: 'Round 1', closes_on: addYears(ukToday(), 1), status: 'open' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('capital_round_line').values([ids.scheme, ids.grant].map((line_id) => ({ round_id: ids.round, line_id }))).execute();
	// An executive headteacher of two of the trust's three academies (and of the other trust's school).
	const headId = await user('Erin Executive');
	await db.insertInto('setting_membership').values([ids.a1, ids.a2, ids.b1].map((setting_id) => ({ user_id: headId, setting_id, role: 'headteacher' as const }))).execute();
	head = (await loadActor(db, headId))!;
	const sencoId = await user('Sam Senco');
	await db.insertInto('setting_membership').values({ user_id: sencoId, setting_id: ids.a1, role: 'senco' }).execute();
	senco = (await loadActor(db, sencoId))!;
});

afterAll(async () => {
	await test?.close();
});

/** Everything starting applications writes, to show a refusal wrote nothing. */
async function written() {
	const { rows } = await sql<{ n: string }>`select (select count(*) from capital_application) + (select count(*) from audit_log) + (select count(*) from live_event) as n`.execute(db);
	return rows[0].n;
}

const ask = (settingIds: number[], over: Record<string, unknown> = {}) => ({ trustId: ids.trust, roundId: ids.round, lineId: ids.scheme, settingIds, ...over });

describe('a trust applying for several of its schools', () => {
	it('the trust’s signatory sees the trust, its schools and the open lines they may apply to; a SENCO sees no trust', async () => {
		const options = await trustApplyOptions(db, head, ids.trust);
		expect(options.trusts.map((t) => t.name)).toEqual(['Cherwell Valley Trust', 'Other Trust']);
		expect(options.schools.map((s) => s.name)).toEqual(['Castle Academy', 'Meadow Academy', 'River Academy']);
		expect(options.choices.map((c) => c.line_name)).toEqual(['Specialist unit']);
		expect((await trustApplyOptions(db, senco, ids.trust)).trust).toBeNull();
	});

	it('creates one draft per school in one go, each with its own reference and timeline, and records it on the trust', async () => {
		const { applications } = await startTrustApplications(db, head, ask([ids.a2, ids.a1]));
		expect(applications.map((a) => a.settingId).sort()).toEqual([ids.a1, ids.a2].sort());
		const rows = await db.selectFrom('capital_application').select(['id', 'reference', 'setting_id', 'stage', 'title', 'district_id', 'created_by']).orderBy('id').execute();
		expect(rows).toHaveLength(2);
		for (const row of rows) {
			expect(row).toMatchObject({ stage: 'draft', created_by: head.id });
			expect(row.reference).toBe(`CAP-${String(row.id).padStart(5, '0')}`);
		}
		expect(rows.map((r) => r.title).sort()).toEqual(['Specialist unit at Castle Academy', 'Specialist unit at Meadow Academy']);
		const timelines = await db.selectFrom('audit_log').select(['subject_type', 'subject_id', 'action', 'detail']).orderBy('id').execute();
		expect(timelines.filter((t) => t.subject_type === 'capital_application').map((t) => t.subject_id).sort()).toEqual(rows.map((r) => r.id).sort());
		expect(timelines.find((t) => t.subject_type === 'capital_application')!.detail.summary).toMatch(/^Started CAP-\d{5} for (Castle|Meadow) Academy with Cherwell Valley Trust’s other schools \(Specialist unit, Round 1\)$/);
		expect(timelines.find((t) => t.subject_type === 'academy_trust')).toMatchObject({ subject_id: ids.trust, action: 'capital.trust_applications_started' });
	});

	it('a school that already has an application to the line is refused by name, with its reference, and nothing is written', async () => {
		const before = await written();
		const existing = await db.selectFrom('capital_application').select('reference').where('setting_id', '=', ids.a1).executeTakeFirstOrThrow();
		const error = await refused(startTrustApplications(db, head, ask([ids.a1])), 'BAD_REQUEST');
		expect(error.fieldErrors?.settingIds).toEqual([`Castle Academy already has an application to Specialist unit (${existing.reference}).`]);
		expect(await written()).toBe(before);
	});

	it('a school outside the trust, or a line its kind of setting cannot apply to, is refused by name', async () => {
		const before = await written();
		const outside = await refused(startTrustApplications(db, head, ask([ids.b1, ids.community])), 'BAD_REQUEST');
		expect(outside.fieldErrors?.settingIds).toEqual(['Hill Academy is not one of Cherwell Valley Trust’s schools.', 'Town School is not one of Cherwell Valley Trust’s schools.']);
		const wrongLine = await refused(startTrustApplications(db, head, ask([ids.a3], { lineId: ids.grant })), 'BAD_REQUEST');
		expect(wrongLine.fieldErrors?.settingIds).toEqual(['River Academy is a kind of setting (academy) that cannot apply to Early years base.']);
		expect(await written()).toBe(before);
	});

	it('only someone who may record the trust’s sign-off for every school chosen may start them: not for a school they do not lead, never a SENCO', async () => {
		const before = await written();
		const notHead = await refused(startTrustApplications(db, head, ask([ids.a3])), 'FORBIDDEN');
		expect(notHead.message).toBe('Only the headteacher of River Academy can record Cherwell Valley Trust’s sign-off for it, so you cannot apply for it on the trust’s behalf.');
		await refused(startTrustApplications(db, senco, ask([ids.a3])), 'FORBIDDEN', /Only the headteacher of River Academy/);
		expect(await written()).toBe(before);
	});

	it('bad input is refused field by field, never a server error; an unknown trust, round or school is not found', async () => {
		const none = await refused(startTrustApplications(db, head, ask([])), 'BAD_REQUEST');
		expect(none.fieldErrors?.settingIds).toEqual(['Choose at least one of the trust’s schools']);
		await refused(startTrustApplications(db, head, { trustId: 'x', roundId: ids.round, lineId: ids.scheme, settingIds: 'lots' }), 'BAD_REQUEST');
		await refused(startTrustApplications(db, head, ask([ids.a3], { trustId: 999_999 })), 'NOT_FOUND');
		await refused(startTrustApplications(db, head, ask([ids.a3], { roundId: 999_999 })), 'NOT_FOUND');
		await refused(startTrustApplications(db, head, ask([999_999])), 'NOT_FOUND');
	});
});

describe('starting many at once', () => {
	/** A trust of `size` academies led by one executive headteacher, on its own scheme line. */
	async function trustOf(tag: string, size: number) {
		const trustId = (await db.insertInto('academy_trust').values({ name: `Trust ${tag}` }).returning('id').executeTakeFirstOrThrow()).id;
		const locality = await db.selectFrom('cluster').select('id').where('kind', '=', 'locality').executeTakeFirstOrThrow();
		const schools = await db
			.insertInto('setting')
			.values(Array.from({ length: size }, (_, i) => ({ urn: `${tag}${String(i).padStart(3, '0')}`, name: `${tag} Academy ${i}`, phase: 'secondary' as const, setting_type: 'academy', town: 'Bicester', pupil_count: 800, cluster_id: locality.id, trust_id: trustId })))
			.returning('id')
			.execute();
		const headId = await user(`Head ${tag}`);
		await db.insertInto('setting_membership').values(schools.map((s) => ({ user_id: headId, setting_id: s.id, role: 'headteacher' as const }))).execute();
		return { trustId, settingIds: schools.map((s) => s.id), head: (await loadActor(db, headId))! };
	}

	it('runs the same number of statements for 2 schools as for 10', async () => {
		const counted = countingStatements(db);
		const statementsFor = async (tag: string, size: number) => {
			const { trustId, settingIds, head: exec } = await trustOf(tag, size);
			counted.reset();
			const { applications } = await startTrustApplications(counted.db, exec, ask(settingIds, { trustId }));
			expect(applications).toHaveLength(size);
			return counted.count();
		};
		const two = await statementsFor('71', 2);
		const ten = await statementsFor('72', 10);
		expect(ten).toBe(two);
	});

	it('a start posted twice at once makes one draft per school, and both posts answer with the same drafts', async () => {
		const { trustId, settingIds, head: exec } = await trustOf('73', 3);
		const [first, second] = await postedTwice('/(app)/capital/applications/trust start', exec.id, () => startTrustApplications(db, exec, ask(settingIds, { trustId })));
		expect(second).toEqual(first);
		expect(await db.selectFrom('capital_application').select('id').where('setting_id', 'in', settingIds).execute()).toHaveLength(3);
	});
});
