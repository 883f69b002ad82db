import { inject } from 'vitest';
import pg from 'pg';
import { createPool, ensureDatabase, kyselyFor, type Database } from '../../src/lib/server/db';

export const TEMPLATE_DATABASE = 'portal_test_template';

export interface TestDatabase {
	db: Database;
	url: string;
	close(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template (empty tables). */
export async function freshDatabase(): Promise<TestDatabase> {
	const adminUrl = inject('adminDatabaseUrl');
	const name = `portal_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	await ensureDatabase(adminUrl, name, TEMPLATE_DATABASE);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const db = kyselyFor(createPool(url.toString(), 10));
	return {
		db,
		url: url.toString(),
		async close() {
			await db.destroy();
			const admin = new pg.Client({ connectionString: adminUrl });
			admin.on('error', () => undefined);
			await admin.connect();
			await admin.query(`drop database if exists "${name}" with (force)`);
			await admin.end();
		}
	};
}
