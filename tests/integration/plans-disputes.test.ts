import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, planRecorder } from './plans';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { CASES_KEY, CASES_PAGE_SIZE, MY_POLLS_KEY, districtCases, districtPool, districtSettingsView, flaggedCaseCount, myPolls, openCase, openPapers, workspaceFlaggedCases } from '../../src/lib/server/disputes';
import { parseCursor } from '../../src/lib/server/paging';

// The dispute queries a page runs (caught from a logging connection) must each have an index to
// serve them: the case list (all, or only the flagged ones) and its second page, the case page
// with its deadlines and access log, its papers, the district's settings with their history, its
// panel pool, and a member's polls. Cases, and everything hanging off them, grow with every district.

const DISPUTE_TABLES = [
	...LARGE_TABLES,
	'dispute_case',
	'dispute_deadline',
	'dispute_case_view',
	'dispute_flag',
	'dispute_paper',
	'dispute_poll',
	'dispute_poll_link',
	'dispute_member'
];

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
let officer: Actor;
let member: Actor;
const ids = { district: 0, firstCase: 0 };

beforeAll(async () => {
	test = await freshDatabase();
	recorder = planRecorder(test.db, test.url, DISPUTE_TABLES);
	const { db } = test;
	ids.district = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	const officerId = (await db.insertInto('app_user').values({ email: 's@example.org', name: 'Sunita Sendiass' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('cluster_role').values({ user_id: officerId, cluster_id: ids.district, role: 'sendiass_officer' }).execute();
	const cases = await db
		.insertInto('dispute_case')
		.values(
			Array.from({ length: 90 }, (_, n) => ({
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
	// Every third case flagged; three papers each; a pool of 30 in each of 40 districts; a poll on
	// every case, each asking five of the pool; the district's settings changed 40 times.
	const memberId = (await db.insertInto('app_user').values({ email: 'm@example.org', name: 'Morgan Member' }).returning('id').executeTakeFirstOrThrow()).id;
	const statements = [
		sql`insert into dispute_flag (case_id, district_id, key, what, level, due_on) select id, district_id, 'mediation_adviser', 'Contact a mediation adviser', 'past', date '2027-01-01' from dispute_case where id % 3 = 0`,
		sql`insert into dispute_paper (case_id, party, name, media_type, size_bytes, content) select c.id, 'family', 'Paper ' || n, 'application/pdf', 1, '\\x00'::bytea from dispute_case c, generate_series(1, 3) n`,
		sql`insert into cluster (kind, name) select 'district', 'District ' || n from generate_series(1, 40) n`,
		sql`insert into app_user (name, email) select 'Member ' || n, 'member' || n || '@example.org' from generate_series(1, 1200) n`,
		sql`insert into dispute_member (district_id, user_id, roles)
			select d.id, u.id, array['independent_member'] from (select id, row_number() over (order by id) - 1 as at from cluster where kind = 'district' and name like 'District %') d
			join (select id, row_number() over (order by id) - 1 as at from app_user where email like 'member%') u on u.at / 30 = d.at`,
		sql`insert into dispute_member (district_id, user_id, roles) values (${ids.district}, ${memberId}, array['independent_member'])`,
		sql`insert into dispute_poll (case_id, family_availability, school_availability, closes_at, ics_uid) select id, '', '', now() + interval '7 days', 'uid-' || id from dispute_case`,
		sql`insert into dispute_poll_link (poll_id, user_id, token_hash)
			select p.id, m.user_id, md5(p.id || '-' || m.user_id) from dispute_poll p
			join lateral (select user_id from dispute_member where district_id <> ${ids.district} order by id offset p.id % 1000 limit 4) m on true`,
		sql`insert into dispute_poll_link (poll_id, user_id, token_hash) select id, ${memberId}, md5(id || '-m') from dispute_poll`,
		sql`insert into audit_log (action, subject_type, subject_id, detail, actor_id, reason)
			select 'disputes.settings_changed', 'dispute_district', d.id, '{"summary": "Changed"}'::jsonb, ${officerId}, 'Reason' from cluster d, generate_series(1, 40) where d.kind = 'district'`
	];
	for (const statement of statements) await statement.execute(db);
	await sql`vacuum analyze`.execute(db);
	member = (await loadActor(db, memberId))!;
});

afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

/** The large tables read end to end by any query `read` runs. */
const scansOf = async (read: (db: Database) => Promise<unknown>) => (await recorder.plansOf(read)).scans;

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

	it('the flagged cases only (/disputes?flagged=yes), first and second page: read from the district’s flags, not by walking its cases', async () => {
		const flagged = { flaggedOnly: true };
		const none = { scans: [], walks: [] };
		expect(await recorder.plansOf((db) => districtCases(db, officer, ids.district, null, flagged))).toEqual(none);
		const { page } = await districtCases(test.db, officer, ids.district, null, flagged);
		expect(page.items.length).toBe(CASES_PAGE_SIZE);
		expect(page.items.every((row) => row.flags.length > 0)).toBe(true);
		expect(await recorder.plansOf((db) => districtCases(db, officer, ids.district, parseCursor(page.next, CASES_KEY), flagged))).toEqual(none);
		// The workspace's panel of flagged cases and the count beside it.
		expect(await recorder.plansOf((db) => workspaceFlaggedCases(db, officer, { id: ids.district, name: 'Cherwell', kind: 'district' }))).toEqual(none);
		expect(await recorder.plansOf((db) => flaggedCaseCount(db, ids.district))).toEqual(none);
	});

	it('a case’s papers (/disputes/<id>/papers)', async () => {
		expect(await scansOf((db) => openPapers(db, officer, ids.firstCase))).toEqual([]);
	});

	it('the district’s settings and the history of their changes (/disputes/settings)', async () => {
		expect(await scansOf((db) => districtSettingsView(db, officer, ids.district))).toEqual([]);
	});

	it('the district’s panel pool (/disputes/pool)', async () => {
		expect(await scansOf((db) => districtPool(db, officer, ids.district, null))).toEqual([]);
	});

	it('a member’s polls (/disputes/polls), first and second page, found by their own links', async () => {
		expect(await scansOf((db) => myPolls(db, member, null))).toEqual([]);
		const first = await myPolls(test.db, member, null);
		expect(await scansOf((db) => myPolls(db, member, parseCursor(first.next, MY_POLLS_KEY)))).toEqual([]);
		// The links' primary key starts with the poll: reading it for one person would read all of it.
		const [firstRead] = await recorder.queriesOf((db) => myPolls(db, member, null));
		expect(JSON.stringify(await planOf(test.db, { compile: () => firstRead }))).toContain('dispute_poll_link_user');
	});
});
