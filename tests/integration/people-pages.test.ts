import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { listPeople, mailOutbox, PEOPLE_PAGE_SIZE, MAIL_PAGE_SIZE, PERSON_KEY } from '../../src/lib/server/people';
import { listNotifications, NOTIFICATIONS_PAGE_SIZE } from '../../src/lib/server/notifications';
import { NEWEST_FIRST_KEY, parseCursor, type Cursor, type KeyKind, type KeysetPage } from '../../src/lib/server/paging';
import { appRouter } from '../../src/lib/server/trpc/router';

// The people-side lists are keyset pages: walking them forward and back shows every row once, in
// one stable order, even while rows are added in the middle of the walk; a search finds by name or
// email with no cap on how many there are.

let test: TestDatabase;
let db: Database;
let officer: Actor;
let reader: Actor;

/** Walks a list to its end with its next links, running `between` after each page (to insert rows meanwhile). */
async function walk<Row extends { id: number }>(
	kinds: KeyKind[],
	read: (cursor: Cursor | null) => Promise<KeysetPage<Row>>,
	between: () => Promise<void> = async () => {}
) {
	const seen: number[] = [];
	const pages: KeysetPage<Row>[] = [];
	let cursor: Cursor | null = null;
	for (let guard = 0; guard < 100; guard++) {
		const page = await read(cursor);
		pages.push(page);
		seen.push(...page.items.map((row) => row.id));
		await between();
		if (page.next === null) break;
		cursor = parseCursor(page.next, kinds);
	}
	return { seen, pages };
}

const peoplePage = (search?: string) => async (cursor: Cursor | null) => {
	const page = await listPeople(db, { search }, cursor);
	return { items: page.people, previous: page.previous, next: page.next };
};
const people = (cursor: string | null) => listPeople(db, {}, parseCursor(cursor, PERSON_KEY));

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	// Names that sort differently from their ids, with some alike, so order is by name then id.
	await db
		.insertInto('app_user')
		.values(
			Array.from({ length: 130 }, (_, i) => ({
				name: `${['Zoe', 'ann', 'Bea', 'Cal', 'Ann'][i % 5]} Person ${String((i * 37) % 130).padStart(3, '0')}`,
				email: `person${i}@school.example`
			}))
		)
		.execute();
	const officerRow = await db.insertInto('app_user').values({ name: 'Olu Officer', email: 'olu@county.example', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow();
	officer = (await loadActor(db, officerRow.id))!;
	const readerRow = await db.insertInto('app_user').values({ name: 'Rae Reader', email: 'rae@school.example' }).returning('id').executeTakeFirstOrThrow();
	reader = (await loadActor(db, readerRow.id))!;
});
afterAll(async () => test?.close());

describe('the people list', () => {
	it('pages through everyone by name then id, each person once, with no 500 cap', async () => {
		const { seen, pages } = await walk(PERSON_KEY, peoplePage());
		const all = await db.selectFrom('app_user').select(['id', 'name']).orderBy(sql`lower(name)`).orderBy('id').execute();
		expect(seen).toEqual(all.map((row) => row.id));
		expect(pages.length).toBe(Math.ceil(all.length / PEOPLE_PAGE_SIZE));
		expect(pages[0].previous).toBeNull();
		expect(pages.at(-1)!.next).toBeNull();
	});

	it('skips and repeats nobody while people are added during the walk', async () => {
		const before = new Set((await db.selectFrom('app_user').select('id').execute()).map((row) => row.id));
		let added = 0;
		const { seen } = await walk(PERSON_KEY, peoplePage(), async () => {
			// One sorts before every page, one after: neither may push a person across a page boundary.
			added++;
			await db.insertInto('app_user').values([{ name: `aaa Early ${added}`, email: `early${added}@school.example` }, { name: `zzz Late ${added}`, email: `late${added}@school.example` }]).execute();
		});
		expect(new Set(seen).size).toBe(seen.length);
		for (const id of before) expect(seen).toContain(id);
		const names = await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', seen).execute();
		const order = new Map(names.map((row) => [row.id, row.name.toLowerCase()]));
		const keys = seen.map((id) => [order.get(id)!, id] as const);
		expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])));
	});

	it('goes back a page to exactly the rows it came from', async () => {
		const first = await people(null);
		const second = await people(first.next);
		const back = await people(second.previous);
		expect(back.people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
		expect(back.previous).toBeNull();
		expect(back.next).toBe(first.next);
	});

	it('a cursor past the end gives an empty page, and one going back past the start gives the first page', async () => {
		expect((await listPeople(db, {}, { direction: 'after', key: ['\u{10FFFF}', 1] })).people).toEqual([]);
		const first = await people(null);
		const second = await people(first.next);
		// The first page's rows are removed: going back from the second page finds fewer than a page, so shows the (new) first page, full.
		await db.deleteFrom('app_user').where('id', 'in', first.people.slice(0, 3).map((p) => p.id)).execute();
		const back = await people(second.previous);
		expect(back.people).toHaveLength(PEOPLE_PAGE_SIZE);
		expect(back.people.map((p) => p.id)).toEqual((await people(null)).people.map((p) => p.id));
		expect(back.previous).toBeNull();
	});

	it('a cursor that was not made here is refused, not guessed at', async () => {
		const made = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
		for (const text of ['12', made('a', 12), made('a', 'ann', 'x'), made('x', 'ann', 1), made('a', 'ann\u0000', 1)]) {
			expect(() => parseCursor(text, PERSON_KEY), text).toThrow('That page link is not valid');
		}
	});

	it('searches by part of a name or email, any case, and pages the matches', async () => {
		const { seen } = await walk(PERSON_KEY, peoplePage('ANN'));
		const expected = await db.selectFrom('app_user').select('id').where((eb) => eb.or([eb('name', 'ilike', '%ann%'), eb('email', 'ilike', '%ann%')])).execute();
		expect(seen.sort()).toEqual(expected.map((row) => row.id).sort());
		expect(seen.length).toBeGreaterThan(PEOPLE_PAGE_SIZE);
		expect((await listPeople(db, { search: 'person7@school' })).people.map((p) => p.email)).toEqual(['person7@school.example']);
		expect((await listPeople(db, { search: '50%' })).people).toEqual([]);
	});

	it('one or two letters find names and emails that start with them (too short to find inside a word)', async () => {
		const { seen } = await walk(PERSON_KEY, peoplePage('an'));
		const expected = await db.selectFrom('app_user').select('id').where((eb) => eb.or([eb('name', 'ilike', 'an%'), eb('email', 'ilike', 'an%')])).execute();
		expect(seen.sort()).toEqual(expected.map((row) => row.id).sort());
		expect(seen.length).toBe(52);
		// Every "Person" has "er" inside its name, but no name or email starts with it.
		expect((await listPeople(db, { search: 'er' })).people).toEqual([]);
	});

	it('over the API, a page is asked for by giving back its cursor, for officers only', async () => {
		const caller = appRouter.createCaller({ db, io: undefined, actor: officer, session: null, event: {} as never });
		const first = await caller.people.list();
		const second = await caller.people.list({ cursor: first.next! });
		expect(second.people[0].id).not.toBe(first.people[0].id);
		expect((await caller.people.list({ cursor: second.previous! })).people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
		await expect(caller.people.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		const outsider = appRouter.createCaller({ db, io: undefined, actor: reader, session: null, event: {} as never });
		await expect(outsider.people.list({ cursor: first.next! })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe('outgoing mail and notifications', () => {
	it('the mail log pages newest first, each message once, while mail keeps arriving', async () => {
		const base = Date.parse('2026-06-01T09:00:00Z');
		await db
			.insertInto('mail_outbox')
			.values(Array.from({ length: 120 }, (_, i) => ({ to_address: `m${i}@x.example`, subject: 'Hi', body_text: 'Hi', transport: 'log', created_at: new Date(base + ((i * 53) % 120) * 60_000) })))
			.execute();
		const before = (await db.selectFrom('mail_outbox').select('id').execute()).map((row) => row.id);
		const { seen, pages } = await walk(
			NEWEST_FIRST_KEY,
			(cursor) => mailOutbox(db, cursor),
			async () => {
				await db.insertInto('mail_outbox').values({ to_address: 'new@x.example', subject: 'New', body_text: 'New', transport: 'log' }).execute();
			}
		);
		expect(pages[0].items).toHaveLength(MAIL_PAGE_SIZE);
		expect(new Set(seen).size).toBe(seen.length);
		expect([...seen].sort()).toEqual([...before].sort());
	});

	it('logged mail shows its text (the demo mailbox); mail sent by SMTP withholds it (it holds invitation links)', async () => {
		await db.insertInto('mail_outbox').values([
			{ to_address: 'smtp@x.example', subject: 'Sent', body_text: 'secret link', transport: 'smtp', created_at: new Date('2030-01-01T00:00:00Z') },
			{ to_address: 'log@x.example', subject: 'Logged', body_text: 'demo link', transport: 'log', created_at: new Date('2030-01-01T00:00:01Z') }
		]).execute();
		const [logged, sent] = (await mailOutbox(db)).items;
		expect([logged.to, logged.body, sent.to, sent.body]).toEqual(['log@x.example', 'demo link', 'smtp@x.example', null]);
	});

	it("a person's notifications page newest first, and a cursor made from someone else's notice shows only the reader's own", async () => {
		const base = Date.parse('2026-06-01T09:00:00Z');
		await db
			.insertInto('notification')
			.values(Array.from({ length: 75 }, (_, i) => ({ user_id: reader.id, kind: 'test', title: `Notice ${i}`, created_at: new Date(base - ((i * 7) % 75) * 60_000) })))
			.execute();
		const theirs = await db.insertInto('notification').values({ user_id: officer.id, kind: 'test', title: 'Not yours' }).returning('id').executeTakeFirstOrThrow();
		const { seen, pages } = await walk(NEWEST_FIRST_KEY, (cursor) => listNotifications(db, reader, cursor));
		expect(pages[0].items).toHaveLength(NOTIFICATIONS_PAGE_SIZE);
		const expected = await db.selectFrom('notification').select('id').where('user_id', '=', reader.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
		expect(seen).toEqual(expected.map((row) => row.id));
		// The newest notice of all is someone else's: a cursor after it lists the reader's own from the top, and never theirs.
		const { at } = await db.selectFrom('notification').select(sql<string>`created_at::text`.as('at')).where('id', '=', theirs.id).executeTakeFirstOrThrow();
		const past = await listNotifications(db, reader, { direction: 'after', key: [at, theirs.id] });
		expect(past.items.map((row) => row.id)).toEqual(expected.slice(0, NOTIFICATIONS_PAGE_SIZE).map((row) => row.id));
	});
});
