import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, sequentialScans } from './plans';

// The plan check itself: it must see a query no index can serve, and pass one that an index serves.
let test: TestDatabase;
beforeAll(async () => {
	test = await freshDatabase();
});
afterAll(async () => test?.close());

describe('planOf / sequentialScans', () => {
	it('finds a whole-table read when no index serves the filter', async () => {
		const plan = await planOf(test.db, test.db.selectFrom('app_user').select('id').where('password_hash', '=', 'x'));
		expect(sequentialScans(plan, LARGE_TABLES)).toEqual(['app_user']);
	});

	it('passes a lookup by primary key', async () => {
		const plan = await planOf(test.db, test.db.selectFrom('app_user').select('id').where('id', '=', 1));
		expect(sequentialScans(plan, LARGE_TABLES)).toEqual([]);
	});
});
