import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Compilable } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, planRecorder, sequentialScans } from './plans';
import { buildCountry, firstId, NO_WHOLE_READS, secondPage } from '../fixtures/plan-rows';
import type { Cursor, KeyValue } from '../../src/lib/server/paging';
import { mailOutboxQuery, peopleListQuery, pendingInvitationsQuery } from '../../src/lib/server/people/queries';
import { peopleFilterSchema, type PeopleFilter } from '../../src/lib/schemas/people';
import { listNotifications, notificationsQuery, unreadCount } from '../../src/lib/server/notifications';
import { loadActor } from '../../src/lib/server/auth/actor';
import { NEWEST_FIRST_KEY, parseCursor } from '../../src/lib/server/paging';
import { clusterSearchQuery, settingSearchQuery } from '../../src/lib/server/pickers/queries';

// The people-side lists and the pickers: an index can serve every one of their queries, so none
// reads a whole large table on an England-sized data set (see plans.ts for why this proves it).

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
let ids: { user: number; district: number; setting: number; mail: number; notification: number; invitation: number };

beforeAll(async () => {
	test = await freshDatabase();
	const { db } = test;
	await buildCountry(db, { districts: 40, localities: 400, settings: 5000, people: 5000 });
	await sql`
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
	const first = (table: Parameters<typeof firstId>[1]) => firstId(db, table);
	ids = {
		user: await first('app_user'),
		district: await first('cluster'),
		setting: await first('setting'),
		mail: await first('mail_outbox'),
		notification: await first('notification'),
		invitation: (await db.selectFrom('invitation').select('id').where('used_at', 'is', null).orderBy('id').executeTakeFirstOrThrow()).id
	};
	recorder = planRecorder(db, test.url, LARGE_TABLES);
}, 120_000);
afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

async function scansOf(query: Compilable<unknown>) {
	return sequentialScans(await planOf(test.db, query), LARGE_TABLES);
}

/** Each kind of page, its cursor made from a row's sort key once the rows exist. */
const cursors: [string, (key: KeyValue[]) => Cursor | null][] = [
	['first page', () => null],
	['next page', (key) => ({ direction: 'after', key })],
	['previous page', (key) => ({ direction: 'before', key })]
];
/** A time key as PostgreSQL writes it (the newest-first lists' cursors hold one). */
const AT = '2026-06-01 09:00:00.123456+00';
const people = (filter: PeopleFilter, cursor: Cursor | null) => peopleListQuery(test.db, peopleFilterSchema.parse(filter), cursor);

describe('people-side lists read no large table from end to end', () => {
	it.each(cursors)('the people list: %s', async (_, cursor) => {
		expect(await scansOf(people({}, cursor(['person 3', ids.user])))).toEqual([]);
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
		expect(await scansOf(people(filter, { direction: 'after', key: ['person 3', ids.user] }))).toEqual([]);
	});
	it.each(cursors)('the outgoing mail: %s', async (_, cursor) => {
		expect(await scansOf(mailOutboxQuery(test.db, cursor([AT, ids.mail])))).toEqual([]);
	});
	it.each(cursors)("a person's notifications: %s", async (_, cursor) => {
		expect(await scansOf(notificationsQuery(test.db, ids.user, cursor([AT, ids.notification])))).toEqual([]);
	});
	it('the notifications page (/notifications) as it reads them: its unread count and the first, second and previous pages', async () => {
		const actor = (await loadActor(test.db, ids.user))!;
		// A person's few rows among every notification in the country: neither read end to end nor walked filtering.
		expect(await recorder.plansOf((db) => Promise.all([listNotifications(db, actor, null), unreadCount(db, actor)]))).toEqual(NO_WHOLE_READS);
		const next = secondPage((await listNotifications(test.db, actor, null)).next, NEWEST_FIRST_KEY);
		expect(await recorder.plansOf((db) => listNotifications(db, actor, next))).toEqual(NO_WHOLE_READS);
		const previous = parseCursor((await listNotifications(test.db, actor, next)).previous, NEWEST_FIRST_KEY);
		expect(await recorder.plansOf((db) => listNotifications(db, actor, previous))).toEqual(NO_WHOLE_READS);
	});
	it.each(cursors)('the waiting invitations: %s', async (_, cursor) => {
		expect(await scansOf(pendingInvitationsQuery(test.db, cursor([AT, ids.invitation])))).toEqual([]);
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
		expect(await scansOf(clusterSearchQuery(test.db, { query: 'dis', scope: 'district' }))).toEqual([]);
	});
});
