import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, sequentialScans } from './plans';
import { createPool, type Database, type DB } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { CASES_KEY, districtCases, openCase } from '../../src/lib/server/disputes';
import { parseCursor } from '../../src/lib/server/paging';

// The dispute queries a page runs (caught from a logging connection) must each have an index to
// serve them: the case list and its second page, the case page with its deadlines and access log.
// The cases, their deadlines and the access log grow with every district.

const DISPUTE_TABLES = [...LARGE_TABLES, 'dispute_case', 'dispute_deadline', 'dispute_case_view'];

let test: TestDatabase;
let logged: Database;
let caught: CompiledQuery[] = [];
let officer: Actor;
const ids = { district: 0, firstCase: 0 };

beforeAll(async () => {
	test = await freshDatabase();
	logged = new Kysely<DB>({
		dialect: new PostgresDialect({ pool: createPool(test.url, 2) }),
		log: (event) => {
			if (event.level === 'query') caught.push(event.query);
		}
	});
	const { db } = test;
	ids.district = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	const officerId = (await db.insertInto('app_user').values({ email: 's@example.org', name: 'Sunita Sendiass' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('cluster_role').values({ user_id: officerId, cluster_id: ids.district, role: 'sendiass_officer' }).execute();
	const cases = await db
		.insertInto('dispute_case')
		.values(
			Array.from({ length: 45 }, (_, n) => ({
				reference: `DR-CHE-${String(n + 1).padStart(4, '0')}`,
				district_id: ids.district,
				other_party: 'council' as const,
				category: 'ehc_decision' as const,
				route: 'mediation_tribunal' as const,
				status: 'routed_out' as const,
				child_initials: 'AB',
				year_group: 'Year 4'
			}))
		)
		.returning('id')
		.execute();
	ids.firstCase = cases[0].id;
	await db.insertInto('dispute_deadline').values(cases.map((c) => ({ case_id: c.id, key: 'mediation_adviser', what: 'Contact a mediation adviser', due_on: '2027-01-01', from_on: '2026-11-01' }))).execute();
	await db.insertInto('dispute_case_view').values(cases.map((c) => ({ case_id: c.id, viewer_id: officerId, what: 'case details', allowed: true }))).execute();
	officer = (await loadActor(db, officerId))!;
});

afterAll(async () => {
	await logged?.destroy();
	await test?.close();
});

async function scansOf(read: (db: Database) => Promise<unknown>): Promise<string[]> {
	caught = [];
	await read(logged);
	const queries = caught;
	expect(queries.length, 'the read should run at least one query').toBeGreaterThan(0);
	const scans: string[] = [];
	for (const query of queries) scans.push(...sequentialScans(await planOf(test.db, { compile: () => query }), DISPUTE_TABLES));
	return scans;
}

describe('dispute queries use an index, not a whole-table read', () => {
	it('a district’s case list, first and second page', async () => {
		expect(await scansOf((db) => districtCases(db, officer, ids.district, null))).toEqual([]);
		const { page } = await districtCases(test.db, officer, ids.district, null);
		expect(page.next).not.toBeNull();
		expect(await scansOf((db) => districtCases(db, officer, ids.district, parseCursor(page.next, CASES_KEY)))).toEqual([]);
	});

	it('the case page: the case, its deadlines, the look logged and the access log', async () => {
		expect(await scansOf((db) => openCase(db, officer, ids.firstCase))).toEqual([]);
	});
});
