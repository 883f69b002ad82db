import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { listPeople, mailOutbox, PEOPLE_PAGE_SIZE, MAIL_PAGE_SIZE } from '../../src/lib/server/people';
import { BROAD_SEARCH_MATCHES, SEARCH_WALK } from '../../src/lib/server/people/queries';
import { countingStatements } from './statements';
import { listNotifications, NOTIFICATIONS_PAGE_SIZE } from '../../src/lib/server/notifications';
import type { Page, PageCursor } from '../../src/lib/server/keyset';
import { appRouter } from '../../src/lib/server/trpc/router';

// The people-side lists are keyset pages: walking them forward and back shows every row once, in
// one stable order, even while rows are added in the middle of the walk; a search finds by name or
// email with no cap on how many there are.

let test: TestDatabase;
let db: Database;
let officer: Actor;
let reader: Actor;

/** Walks a list to its end with its next links, running `between` after each page (to insert rows meanwhile). */
async function walk<Row extends { id: number }>(read: (cursor: PageCursor) => Promise<Page<Row>>, between: () => Promise<void> = async () => {}) {
	const seen: number[] = [];
	const pages: Page<Row>[] = [];
	let cursor: PageCursor = null;
	for (let guard = 0; guard < 100; guard++) {
		const page = await read(cursor);
		pages.push(page);
		seen.push(...page.rows.map((row) => row.id));
		await between();
		if (page.next === null) break;
		cursor = { after: page.next };
	}
	return { seen, pages };
}

const peoplePage = (search?: string) => async (cursor: PageCursor) => {
	const page = await listPeople(db, { search }, cursor);
	return { rows: page.people, previous: page.previous, next: page.next };
};

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
		const { seen, pages } = await walk(peoplePage());
		const all = await db.selectFrom('app_user').select(['id', 'name']).orderBy(sql`lower(name)`).orderBy('id').execute();
		expect(seen).toEqual(all.map((row) => row.id));
		expect(pages.length).toBe(Math.ceil(all.length / PEOPLE_PAGE_SIZE));
		expect(pages[0].previous).toBeNull();
		expect(pages.at(-1)!.next).toBeNull();
	});

	it('skips and repeats nobody while people are added during the walk', async () => {
		const before = new Set((await db.selectFrom('app_user').select('id').execute()).map((row) => row.id));
		let added = 0;
		const { seen } = await walk(peoplePage(), async () => {
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
		const first = await listPeople(db, {}, null);
		const second = await listPeople(db, {}, { after: first.next! });
		const back = await listPeople(db, {}, { before: second.previous! });
		expect(back.people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
		expect(back.previous).toBeNull();
		expect(back.next).toBe(first.next);
	});

	it('an unknown cursor gives an empty page, and a stale one going back gives the first page', async () => {
		expect((await listPeople(db, {}, { after: 2_000_000_000 })).people).toEqual([]);
		const first = await listPeople(db, {}, null);
		expect((await listPeople(db, {}, { before: 2_000_000_000 })).people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
	});

	it('searches by part of a name or email, any case, and pages the matches', async () => {
		const { seen } = await walk(peoplePage('ANN'));
		const expected = await db.selectFrom('app_user').select('id').where((eb) => eb.or([eb('name', 'ilike', '%ann%'), eb('email', 'ilike', '%ann%')])).execute();
		expect(seen.sort()).toEqual(expected.map((row) => row.id).sort());
		expect(seen.length).toBeGreaterThan(PEOPLE_PAGE_SIZE);
		expect((await listPeople(db, { search: 'person7@school' })).people.map((p) => p.email)).toEqual(['person7@school.example']);
		expect((await listPeople(db, { search: '50%' })).people).toEqual([]);
	});

	it('a broad search pages every match once, in name order, each page looking through a bounded stretch of names', async () => {
		// More matches than a narrow search may sort ("Broadway …" at the start and end of the
		// alphabet), and between them more non-matching names than one page may look through.
		const early = BROAD_SEARCH_MATCHES;
		await db
			.insertInto('app_user')
			.values([
				...Array.from({ length: early }, (_, i) => ({ name: `Aa Broadway ${String(i).padStart(5, '0')}`, email: `early${i}@broad.example` })),
				...Array.from({ length: SEARCH_WALK + 500 }, (_, i) => ({ name: `Mm Elsewhere ${String(i).padStart(5, '0')}`, email: `middle${i}@else.example` })),
				...Array.from({ length: 30 }, (_, i) => ({ name: `Zz Broadway ${String(i).padStart(5, '0')}`, email: `late${i}@broad.example` }))
			])
			.execute();
		try {
			const { seen, pages } = await walk(peoplePage('broadway'));
			const expected = await db.selectFrom('app_user').select('id').where('name', 'ilike', '%broadway%').orderBy(sql`lower(name)`).orderBy('id').execute();
			expect(seen).toEqual(expected.map((row) => row.id));
			// A page that looked through its whole stretch of names without a page-full of matches links on
			// from the last person it looked at (not a match), and the next page carries on from there.
			const matches = new Set(seen);
			const carriedOn = pages.filter((page) => page.next !== null && !matches.has(page.next));
			expect(carriedOn.length).toBeGreaterThan(0);
			expect(pages.at(-1)?.next).toBeNull();
			// Each page costs the same few statements however deep it is.
			const counted = countingStatements(db);
			for (const page of [pages[0], pages.at(-2)!]) {
				counted.reset();
				await listPeople(counted.db, { search: 'broadway' }, page.previous === null ? null : { after: page.previous });
				expect(counted.count()).toBeLessThanOrEqual(5);
			}
		} finally {
			await db.deleteFrom('app_user').where('email', 'like', '%@broad.example').execute();
			await db.deleteFrom('app_user').where('email', 'like', '%@else.example').execute();
		}
	});

	it('one or two letters find names and emails that start with them (too short to find inside a word)', async () => {
		const { seen } = await walk(peoplePage('an'));
		const expected = await db.selectFrom('app_user').select('id').where((eb) => eb.or([eb('name', 'ilike', 'an%'), eb('email', 'ilike', 'an%')])).execute();
		expect(seen.sort()).toEqual(expected.map((row) => row.id).sort());
		expect(seen.length).toBe(52);
		// Every "Person" has "er" inside its name, but no name or email starts with it.
		expect((await listPeople(db, { search: 'er' })).people).toEqual([]);
	});

	it('over the API, pages are asked for with after and before, for officers only', async () => {
		const caller = appRouter.createCaller({ db, io: undefined, actor: officer, session: null, event: {} as never });
		const first = await caller.people.list();
		const second = await caller.people.list({ after: first.next! });
		expect(second.people[0].id).not.toBe(first.people[0].id);
		expect((await caller.people.list({ before: second.previous! })).people.map((p) => p.id)).toEqual(first.people.map((p) => p.id));
		await expect(caller.people.list({ after: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		const outsider = appRouter.createCaller({ db, io: undefined, actor: reader, session: null, event: {} as never });
		await expect(outsider.people.list({ after: first.next! })).rejects.toMatchObject({ code: 'FORBIDDEN' });
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
			(cursor) => mailOutbox(db, cursor),
			async () => {
				await db.insertInto('mail_outbox').values({ to_address: 'new@x.example', subject: 'New', body_text: 'New', transport: 'log' }).execute();
			}
		);
		expect(pages[0].rows).toHaveLength(MAIL_PAGE_SIZE);
		expect(new Set(seen).size).toBe(seen.length);
		expect([...seen].sort()).toEqual([...before].sort());
	});

	it('logged mail shows its text (the demo mailbox); mail sent by SMTP withholds it (it holds invitation links)', async () => {
		await db.insertInto('mail_outbox').values([
			{ to_address: 'smtp@x.example', subject: 'Sent', body_text: 'secret link', transport: 'smtp', created_at: new Date('2030-01-01T00:00:00Z') },
			{ to_address: 'log@x.example', subject: 'Logged', body_text: 'demo link', transport: 'log', created_at: new Date('2030-01-01T00:00:01Z') }
		]).execute();
		const [logged, sent] = (await mailOutbox(db)).rows;
		expect([logged.to, logged.body, sent.to, sent.body]).toEqual(['log@x.example', 'demo link', 'smtp@x.example', null]);
	});

	it("a person's notifications page newest first, and a cursor naming someone else's notice shows nothing", async () => {
		const base = Date.parse('2026-06-01T09:00:00Z');
		await db
			.insertInto('notification')
			.values(Array.from({ length: 75 }, (_, i) => ({ user_id: reader.id, kind: 'test', title: `Notice ${i}`, created_at: new Date(base - ((i * 7) % 75) * 60_000) })))
			.execute();
		const theirs = await db.insertInto('notification').values({ user_id: officer.id, kind: 'test', title: 'Not yours' }).returning('id').executeTakeFirstOrThrow();
		const { seen, pages } = await walk((cursor) => listNotifications(db, reader, cursor));
		expect(pages[0].rows).toHaveLength(NOTIFICATIONS_PAGE_SIZE);
		const expected = await db.selectFrom('notification').select('id').where('user_id', '=', reader.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
		expect(seen).toEqual(expected.map((row) => row.id));
		expect((await listNotifications(db, reader, { after: theirs.id })).rows).toEqual([]);
	});
});
