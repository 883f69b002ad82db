import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { listPeople, PEOPLE_PAGE_SIZE, PERSON_KEY, type PeoplePage } from '../../src/lib/server/people';
import type { PeopleFilter } from '../../src/lib/schemas/people';
import { parseCursor } from '../../src/lib/server/paging';

// Deep paging of the people search on a large set where most of the matches share one name: the
// sort key (the name in lower case) ties across dozens of pages, so only the id keeps the order,
// and a cursor must carry both. Walking every page forward, and back again, must show exactly the
// rows one unpaged query in the same order gives: none twice, none missed, on the fortieth page as
// on the first.

let test: TestDatabase;
let db: Database;

/** Every page of a search, following its Next links from the first page. */
async function walkForward(filter: PeopleFilter) {
	const pages: PeoplePage[] = [];
	let page = await listPeople(db, filter, null);
	pages.push(page);
	while (page.next !== null) {
		expect(pages.length, 'the walk should end').toBeLessThan(500);
		page = await listPeople(db, filter, parseCursor(page.next, PERSON_KEY));
		pages.push(page);
	}
	return pages;
}

/** The same search in one query (`condition` on `u.name` and `u.email`): what the pages together must show, in their order. */
async function unpaged(condition: RawBuilder<boolean>, active?: boolean) {
	let query = db
		.selectFrom('app_user as u')
		.select('u.id')
		.where(sql<boolean>`(${condition})`)
		.orderBy(sql`lower(u.name)`)
		.orderBy('u.id');
	if (active !== undefined) query = query.where('u.is_active', '=', active);
	return (await query.execute()).map((row) => row.id);
}
const anywhere = (text: string) => sql<boolean>`u.name ilike ${`%${text}%`} or u.email ilike ${`%${text}%`}`;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	// 6,000 people. 2,400 are "Sam Taylor" as typed, in three cases (one sort key); 600 "Sam
	// Taylor-Smith" and 600 "Samira Taylor" sort just after and before them; the rest other names.
	// Ids are given out of name order (every fifth person added is a Sam Taylor of one case or
	// another), and every seventh person is deactivated.
	await sql`
		insert into app_user (name, email, is_active)
		select case
				when n % 10 in (0, 3) then 'Sam Taylor'
				when n % 10 = 5 then 'sam taylor'
				when n % 10 = 7 then 'SAM TAYLOR'
				when n % 10 = 1 then 'Sam Taylor-Smith'
				when n % 10 = 9 then 'Samira Taylor'
				else 'Person ' || md5(n::text)
			end,
			'person' || n || '@school.example',
			n % 7 <> 0
		from generate_series(1, 6000) n
		order by md5(n::text)
	`.execute(db);
	await sql`vacuum analyze app_user`.execute(db);
}, 120_000);
afterAll(async () => test?.close());

describe('the people search pages deep into many people of one name', () => {
	it('walks every page of "taylor" forward: each match once, in name then id order, full pages to the last', async () => {
		const pages = await walkForward({ search: 'taylor' });
		const expected = await unpaged(anywhere('taylor'));
		expect(expected.length).toBe(3600);
		expect(pages.flatMap((page) => page.people.map((p) => p.id))).toEqual(expected);
		expect(pages.length).toBe(Math.ceil(expected.length / PEOPLE_PAGE_SIZE));
		for (const page of pages.slice(0, -1)) expect(page.people).toHaveLength(PEOPLE_PAGE_SIZE);
		// The tie runs across dozens of pages: a page that starts and ends inside it.
		const inside = pages[30].people;
		expect(new Set(inside.map((p) => p.name.toLowerCase()))).toEqual(new Set(['sam taylor']));
	});

	it('walks back from the last page with the Previous links to exactly the same pages', async () => {
		const forward = await walkForward({ search: 'taylor' });
		const backward: PeoplePage[] = [forward.at(-1)!];
		let page = backward[0];
		while (page.previous !== null) {
			page = await listPeople(db, { search: 'taylor' }, parseCursor(page.previous, PERSON_KEY));
			backward.unshift(page);
		}
		expect(backward.map((p) => p.people.map((person) => person.id))).toEqual(forward.map((p) => p.people.map((person) => person.id)));
		expect(backward[0].previous).toBeNull();
	});

	it('a page far in, opened from its link alone, is the same rows the unpaged order has there', async () => {
		const pages = await walkForward({ search: 'sam taylor' });
		const expected = await unpaged(anywhere('sam taylor'));
		expect(pages.flatMap((page) => page.people.map((p) => p.id))).toEqual(expected);
		// A fresh request with the 40th page's Next link (as a bookmarked address would be).
		const reopened = await listPeople(db, { search: 'sam taylor' }, parseCursor(pages[39].next, PERSON_KEY));
		expect(reopened.people.map((p) => p.id)).toEqual(expected.slice(40 * PEOPLE_PAGE_SIZE, 41 * PEOPLE_PAGE_SIZE));
	});

	it('with a status filter, and with two letters (matching the start of a name or email), the pages still add up', async () => {
		const active = await walkForward({ search: 'taylor', status: 'active' });
		expect(active.flatMap((page) => page.people.map((p) => p.id))).toEqual(
			await unpaged(anywhere('taylor'), true)
		);
		const prefix = await walkForward({ search: 'sa' });
		expect(prefix.flatMap((page) => page.people.map((p) => p.id))).toEqual(
			await unpaged(sql<boolean>`lower(u.name) like 'sa%' or lower(u.email) like 'sa%'`)
		);
	});
});
