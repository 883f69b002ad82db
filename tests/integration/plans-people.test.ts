import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Compilable } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, sequentialScans } from './plans';
import { keysetStep, type PageCursor } from '../../src/lib/server/keyset';
import { broadSearchQuery, mailOutboxQuery, peopleListQuery, pendingInvitationsQuery, searchMatchesQuery, walkEndQuery } from '../../src/lib/server/people/queries';
import { peopleFilterSchema, type PeopleFilter } from '../../src/lib/schemas/people';
import { notificationsQuery } from '../../src/lib/server/notifications';
import { clusterSearchQuery, settingSearchQuery } from '../../src/lib/server/pickers/queries';

// The people-side lists and the pickers: an index can serve every one of their queries, so none
// reads a whole large table on an England-sized data set (see plans.ts for why this proves it).

let test: TestDatabase;
let ids: { user: number; district: number; setting: number; mail: number; notification: number; invitation: number };

beforeAll(async () => {
	test = await freshDatabase();
	const { db } = test;
	await sql`
		insert into cluster (kind, name) select 'district', 'District ' || n from generate_series(1, 40) n;
		insert into cluster (kind, name, parent_id) select 'locality', 'Locality ' || n, (select min(id) from cluster) + n % 40 from generate_series(1, 400) n;
		insert into setting (urn, name, phase, setting_type, town, pupil_count, cluster_id)
			select (100000 + n)::text, 'School ' || md5(n::text), 'primary', 'academy', 'Town ' || (n % 300), 200,
				(select min(id) from cluster where kind = 'locality') + n % 400
			from generate_series(1, 5000) n;
		insert into app_user (name, email, county_role) select 'Person ' || md5(n::text), 'p' || n || '@school.example', null from generate_series(1, 5000) n;
		insert into setting_membership (user_id, setting_id, role)
			select u.id, (select min(id) from setting) + u.id % 5000, 'senco' from app_user u;
		insert into mail_outbox (to_address, subject, body_text, transport, created_at)
			select 'p' || n || '@school.example', 'Hello', 'Hi', 'log', now() - n * interval '1 minute' from generate_series(1, 5000) n;
		insert into notification (user_id, kind, title, created_at)
			select (select min(id) from app_user) + n % 50, 'test', 'Notice', now() - n * interval '1 minute' from generate_series(1, 5000) n;
		insert into invitation (token_hash, email, name, grant_kind, role, invited_by, created_at, expires_at, used_at)
			select 'hash' || n, 'i' || n || '@school.example', 'Invitee', 'county', 'officer', (select min(id) from app_user),
				now() - n * interval '1 minute', now() + interval '7 days', case when n % 10 = 0 then null else now() end
			from generate_series(1, 5000) n;
		analyze;
	`.execute(db);
	const first = async (table: 'app_user' | 'cluster' | 'setting' | 'mail_outbox' | 'notification' | 'invitation') =>
		(await db.selectFrom(table).select((eb) => eb.fn.min<number>('id').as('id')).executeTakeFirstOrThrow()).id;
	ids = {
		user: await first('app_user'),
		district: await first('cluster'),
		setting: await first('setting'),
		mail: await first('mail_outbox'),
		notification: await first('notification'),
		invitation: (await db.selectFrom('invitation').select('id').where('used_at', 'is', null).orderBy('id').executeTakeFirstOrThrow()).id
	};
}, 120_000);
afterAll(async () => test?.close());

async function scansOf(query: Compilable<unknown>) {
	return sequentialScans(await planOf(test.db, query), LARGE_TABLES);
}

/** Each kind of page, its cursor made once the rows exist. */
const cursors: [string, (id: number) => PageCursor][] = [
	['first page', () => null],
	['next page', (id) => ({ after: id })],
	['previous page', (id) => ({ before: id })]
];
const people = (filter: PeopleFilter, cursor: PageCursor) => peopleListQuery(test.db, peopleFilterSchema.parse(filter), keysetStep(cursor, 'asc'), 51);

describe('people-side lists read no large table from end to end', () => {
	it.each(cursors)('the people list: %s', async (_, cursor) => {
		expect(await scansOf(people({}, cursor(ids.user)))).toEqual([]);
	});
	it.each([
		['a name', { search: 'person 3ab' }],
		['an email', { search: 'p123@school' }],
		['a short search', { search: 'ab' }],
		['a role', { role: 'senco' }],
		['people with no role', { role: 'none' }],
		['a search and a status', { search: 'person', status: 'active' }]
	] as [string, PeopleFilter][])('the people list searched by %s', async (_, filter) => {
		expect(await scansOf(people(filter, null))).toEqual([]);
		expect(await scansOf(people(filter, { after: ids.user }))).toEqual([]);
	});
	it.each(cursors)('a broad people search (a bounded walk of the names, and where it ended): %s', async (_, cursor) => {
		const step = keysetStep(cursor(ids.user), 'asc');
		expect(await scansOf(searchMatchesQuery(test.db, 'person'))).toEqual([]);
		expect(await scansOf(broadSearchQuery(test.db, peopleFilterSchema.parse({ search: 'person', status: 'active' }), step, 51))).toEqual([]);
		expect(await scansOf(walkEndQuery(test.db, step))).toEqual([]);
	});
	it.each(cursors)('the outgoing mail: %s', async (_, cursor) => {
		expect(await scansOf(mailOutboxQuery(test.db, keysetStep(cursor(ids.mail), 'desc'), 51))).toEqual([]);
	});
	it.each(cursors)("a person's notifications: %s", async (_, cursor) => {
		expect(await scansOf(notificationsQuery(test.db, ids.user, keysetStep(cursor(ids.notification), 'desc'), 51))).toEqual([]);
	});
	it.each(cursors)('the waiting invitations: %s', async (_, cursor) => {
		expect(await scansOf(pendingInvitationsQuery(test.db, keysetStep(cursor(ids.invitation), 'desc'), 26))).toEqual([]);
	});
});

describe('the pickers read no large table from end to end', () => {
	it.each([
		['a name', { query: 'school 3f' }],
		['a town or URN', { query: '100123' }],
		['one or two letters', { query: 'sc' }],
		['the choice already made', { ids: [1, 2] }]
	])('settings, county-wide, by %s', async (_, search) => {
		expect(await scansOf(settingSearchQuery(test.db, { kind: 'county' }, search))).toEqual([]);
	});
	it.each([
		['nothing typed', {}],
		['a name', { query: 'school 3f' }]
	])("settings of a bid's district, by %s", async (_, search) => {
		expect(await scansOf(settingSearchQuery(test.db, { kind: 'cluster', clusterId: ids.district, excluding: [ids.setting] }, search))).toEqual([]);
	});
	it('clusters by name, and the choice already made', async () => {
		expect(await scansOf(clusterSearchQuery(test.db, { query: 'locality 12' }))).toEqual([]);
		expect(await scansOf(clusterSearchQuery(test.db, { query: 'lo' }))).toEqual([]);
		expect(await scansOf(clusterSearchQuery(test.db, { ids: [ids.district] }))).toEqual([]);
		// Localities only, to move a setting to.
		expect(await scansOf(clusterSearchQuery(test.db, { query: 'locality 12', scope: 'locality' }))).toEqual([]);
		expect(await scansOf(clusterSearchQuery(test.db, { query: 'lo', scope: 'locality' }))).toEqual([]);
	});
});
