import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { keysetPage, parseCursor, type Cursor, type KeyKind, type KeysetPage } from '../../src/lib/server/paging';
import { clusterDirectory, clustersFor, DISTRICT_KEY, settingCounts, workspaceActivity } from '../../src/lib/server/workspace/queries';
import { MEMBER_KEY, SETTING_KEY, workspaceMembers, workspaceSettings } from '../../src/lib/server/workspace/lists';
import { clusterHistory, countyTree, HISTORY_KEY } from '../../src/lib/server/clusters';

// Keyset pages: walking next to the end, then previous back to the start, meets every row once,
// in one stable order, even where names or times tie. Counts and feeds say what they said before.

let test: TestDatabase;
let db: Database;
const districtIds: number[] = [];
const localityIds: number[] = [];
let officerId = 0;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	// 45 districts: more than two pages, with names that tie once case is ignored ("Aston", "aston"):
	// only one may be active, so the others are retired ones kept for their history.
	for (let n = 0; n < 45; n++) {
		const tie = n % 9 === 0;
		const name = tie ? (n % 2 ? 'aston' : 'Aston') : `District ${String(n).padStart(2, '0')}`;
		const status = tie && n > 0 ? 'retired' : 'active';
		districtIds.push((await db.insertInto('cluster').values({ kind: 'district', name, status }).returning('id').executeTakeFirstOrThrow()).id);
	}
	for (let n = 0; n < 6; n++) {
		const parent = districtIds[n % 3];
		localityIds.push((await db.insertInto('cluster').values({ kind: 'locality', name: `Locality ${n}`, parent_id: parent }).returning('id').executeTakeFirstOrThrow()).id);
	}
	// Settings whose names tie, so only the id orders them.
	await db
		.insertInto('setting')
		.values(Array.from({ length: 47 }, (_, n) => ({ urn: String(800000 + n), name: `School ${n % 7}`, phase: 'primary', setting_type: 'Academy', town: 'Oxford', pupil_count: 90, cluster_id: localityIds[n % 4] })))
		.execute();
	officerId = (await db.insertInto('app_user').values({ email: 'o@example.org', name: 'Olive Officer', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow()).id;
	const settings = await db.selectFrom('setting').select('id').orderBy('id').execute();
	for (const [n, setting] of settings.entries()) {
		const person = await db.insertInto('app_user').values({ email: `p${n}@example.org`, name: `Person ${n % 5}` }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('setting_membership').values({ user_id: person.id, setting_id: setting.id, role: 'senco' }).execute();
	}
});

afterAll(async () => test?.close());

/** Every row met walking `next` to the end, then every row met walking `previous` back from there. */
async function walk<T>(read: (cursor: Cursor | null) => Promise<KeysetPage<T>>, kinds: KeyKind[]) {
	const pages: KeysetPage<T>[] = [await read(null)];
	while (pages[pages.length - 1].next) pages.push(await read(parseCursor(pages[pages.length - 1].next, kinds)));
	const back: KeysetPage<T>[] = [pages[pages.length - 1]];
	while (back[back.length - 1].previous) back.push(await read(parseCursor(back[back.length - 1].previous, kinds)));
	return { forwards: pages.flatMap((p) => p.items), backwards: back.reverse().flatMap((p) => p.items), pages: pages.length, firstPrevious: pages[0].previous };
}

describe('keyset pages', () => {
	it('county set-up pages through every district once, by name then id, and back again', async () => {
		const { forwards, backwards, pages, firstPrevious } = await walk(async (cursor) => {
			const page = await countyTree(db, cursor);
			return { items: page.districts.map((d) => d.id), next: page.next, previous: page.previous };
		}, DISTRICT_KEY);
		const expected = (await db.selectFrom('cluster').select('id').where('kind', '=', 'district').orderBy(sql`lower(name)`).orderBy('id').execute()).map((r) => r.id);
		expect(pages).toBe(3);
		expect(firstPrevious).toBeNull();
		expect(forwards).toEqual(expected);
		expect(backwards).toEqual(expected);
	});

	it('/clusters pages through the active districts the same way, with their localities', async () => {
		const officer = await loadActor(db, officerId);
		if (!officer) throw new Error('no officer');
		const { forwards } = await walk(async (cursor) => {
			const page = await clusterDirectory(db, officer, cursor);
			return { items: page.districts, next: page.next, previous: page.previous };
		}, DISTRICT_KEY);
		expect(forwards.map((d) => d.id)).toEqual(districtIds.filter((_, n) => n === 0 || n % 9 !== 0).sort((a, b) => a - b));
		expect(forwards.flatMap((d) => d.localities.map((l) => l.id)).sort()).toEqual([...localityIds].sort());
	});

	it('an officer’s home page shows the first page of active districts and says there are more; a member, their own clusters', async () => {
		const officer = await loadActor(db, officerId);
		if (!officer) throw new Error('no officer');
		const home = await clustersFor(db, officer);
		const firstPage = await clusterDirectory(db, officer, null);
		expect(home.clusters.map((c) => c.id)).toEqual(firstPage.districts.map((d) => d.id));
		expect(home.clusters).toHaveLength(20);
		expect(home.more).toBe(true);

		const member = await db.insertInto('app_user').values({ email: 'member@example.org', name: 'Mina Member' }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('cluster_role').values({ user_id: member.id, cluster_id: localityIds[1], role: 'cluster_lead' }).execute();
		const memberHome = await clustersFor(db, (await loadActor(db, member.id))!);
		// Their locality, under its district (which a locality's member also belongs to).
		expect(memberHome).toEqual({
			clusters: [expect.objectContaining({ id: districtIds[1], kind: 'district' }), expect.objectContaining({ id: localityIds[1], kind: 'locality', parent_name: 'District 01' })],
			more: false
		});
	});

	it('workspace settings and people: no row skipped or repeated, whatever ties in the names', async () => {
		const district = districtIds[0];
		const settings = await walk((cursor) => workspaceSettings(db, district, cursor), SETTING_KEY);
		const expected = await db
			.selectFrom('setting as s')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select('s.id')
			.where('l.parent_id', '=', district)
			.orderBy('s.name')
			.orderBy('s.id')
			.execute();
		expect(settings.forwards.map((s) => s.id)).toEqual(expected.map((r) => r.id));
		expect(settings.backwards.map((s) => s.id)).toEqual(expected.map((r) => r.id));

		const people = await walk((cursor) => workspaceMembers(db, { id: district, parentId: null }, cursor), MEMBER_KEY);
		const first = await workspaceMembers(db, { id: district, parentId: null });
		expect(people.forwards.map((p) => p.userId)).toEqual(people.backwards.map((p) => p.userId));
		expect(new Set(people.forwards.map((p) => p.userId)).size).toBe(first.total);
		expect(people.forwards.every((p) => p.roles.length > 0)).toBe(true);
	});

	it('cluster history pages by time to the microsecond, ties broken by id', async () => {
		const cluster = localityIds[0];
		// One statement: every entry has the very same time, so only ids order them.
		await db
			.insertInto('audit_log')
			.values(Array.from({ length: 25 }, (_, n) => ({ action: 'cluster.renamed', subject_type: 'cluster', subject_id: cluster, reason: `Same time ${n}` })))
			.execute();
		// Times a millisecond apart would round together in JavaScript: these differ by microseconds.
		await sql`insert into audit_log (action, subject_type, subject_id, detail, created_at)
			select 'setting.moved', 'setting', 1, ${JSON.stringify({ clusterIds: [cluster] })}::jsonb, timestamptz '2026-11-01 10:00:00.000001' + g * interval '1 microsecond'
			from generate_series(1, 12) g`.execute(db);
		const { forwards, backwards } = await walk((cursor) => clusterHistory(db, cluster, cursor, 5), HISTORY_KEY);
		const expected = await db
			.selectFrom('audit_log')
			.select('id')
			.where((eb) => eb.or([eb.and([eb('subject_type', '=', 'cluster'), eb('subject_id', '=', cluster)]), sql<boolean>`detail @> ${JSON.stringify({ clusterIds: [cluster] })}::jsonb`]))
			.orderBy('created_at', 'desc')
			.orderBy('id', 'desc')
			.execute();
		expect(expected).toHaveLength(37);
		expect(forwards.map((e) => e.id)).toEqual(expected.map((r) => r.id));
		expect(backwards.map((e) => e.id)).toEqual(expected.map((r) => r.id));
	});

	it('a cursor that was not made here is refused as a bad request', async () => {
		const cursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
		// Not base64 JSON; the wrong length; an object; a word where an id goes; an id beyond int4;
		// a NUL in text; a time in another format.
		for (const [text, kinds] of [
			['x', DISTRICT_KEY],
			['WyJ6Il0', DISTRICT_KEY],
			[cursor('a', 1), DISTRICT_KEY],
			[cursor('a', {}, 1), DISTRICT_KEY],
			[cursor('a', 'aston', 'x'), DISTRICT_KEY],
			[cursor('b', 'aston', 2 ** 31), DISTRICT_KEY],
			[cursor('a', 'a\u0000b', 1), DISTRICT_KEY],
			[cursor('a', 'yesterday', 1), HISTORY_KEY]
		] as const) {
			expect(() => parseCursor(text, kinds), text).toThrow(DomainError);
		}
		const page = await keysetPage(db.selectFrom('cluster').select(['id']), { order: [sql`id`], direction: 'asc', keyOf: (r) => [r.id], cursor: null, size: 2 });
		expect(parseCursor(page.next, ['int'])).toEqual({ direction: 'after', key: [page.items[1].id] });
	});
});

describe('grouped setting counts', () => {
	it('equal the counts the old per-cluster subquery gave, for districts and localities', async () => {
		const clusters = await db.selectFrom('cluster').select('id').execute();
		const counts = await settingCounts(db, clusters.map((c) => c.id));
		const old = await sql<{ id: number; n: string }>`
			select c.id, (select count(*) from setting s join cluster l on l.id = s.cluster_id where s.cluster_id = c.id or l.parent_id = c.id) as n
			from cluster c`.execute(db);
		expect(old.rows.filter((r) => Number(r.n) > 0).length).toBeGreaterThan(3);
		for (const row of old.rows) expect(counts.get(row.id), `cluster ${row.id}`).toBe(Number(row.n));
	});
});

describe('the workspace feed by an index walk per cluster', () => {
	it('says what the whole-table query said, in the same order, on the first and older pages', async () => {
		const district = districtIds[1];
		const clusters = [district, ...localityIds.filter((_, n) => n % 3 === 1)];
		// Written out of time order, with ties, across the district and its localities.
		await db
			.insertInto('activity')
			.values(Array.from({ length: 70 }, (_, n) => ({ cluster_id: clusters[n % clusters.length], verb: 'note', summary: `Entry ${n}`, created_at: new Date(Date.UTC(2026, 9, 1 + ((n * 7) % 23))) })))
			.execute();
		const old = async (before?: number) =>
			(
				await sql<{ id: number }>`
				select a.id from activity a join cluster c on c.id = a.cluster_id
				where (a.cluster_id = ${district} or c.parent_id = ${district})
				${before ? sql`and (a.created_at, a.id) < (select created_at, id from activity where id = ${before})` : sql``}
				order by a.created_at desc, a.id desc limit 20`.execute(db)
			).rows.map((r) => r.id);
		let before: number | undefined;
		for (let page = 0; page < 4; page++) {
			const fresh = await (before ? workspaceActivity(db, district, before) : workspaceActivity(db, district));
			expect(fresh.map((r) => r.id)).toEqual(await old(before));
			before = fresh[fresh.length - 1]?.id;
		}
	});
});
