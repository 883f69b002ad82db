import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { databaseOptionsFromEnv, ensureDatabase, openDatabase, createPool, kyselyFor } from './index';
import { migrateToLatest } from './migrate';
import { seedDemoCounty } from '../../../../db/seed/index';
import { log } from '../log';

const run = promisify(execFile);
export const SCHEMA_TYPES_FILE = 'src/lib/server/db/schema.d.ts';

/**
 * Regenerates (or, with verify, checks) the table types from a scratch database migrated to
 * the latest schema, so the types can never drift from the migrations.
 */
export async function generateSchemaTypes(adminUrl: string, verify: boolean): Promise<void> {
	const scratch = `portal_types_${process.pid}_${Date.now()}`;
	await ensureDatabase(adminUrl, scratch);
	const url = new URL(adminUrl);
	url.pathname = `/${scratch}`;
	const pool = createPool(url.toString(), 2);
	const db = kyselyFor(pool);
	try {
		await migrateToLatest(db);
		await db.destroy();
		// Everything else (column types as the app's unions, JSON columns as their shapes) is in
		// .kysely-codegenrc.json, so generating and verifying use the same overrides.
		const args = ['--config-file', '.kysely-codegenrc.json', '--url', url.toString(), '--out-file', SCHEMA_TYPES_FILE];
		if (verify) args.push('--verify');
		await run('node_modules/.bin/kysely-codegen', args);
	} finally {
		await db.destroy().catch(() => undefined);
		const admin = new pg.Client({ connectionString: adminUrl });
		admin.on('error', () => undefined);
		await admin.connect();
		await admin.query(`drop database if exists ${admin.escapeIdentifier(scratch)} with (force)`);
		await admin.end();
	}
}

export async function runTask(task: 'migrate' | 'seed' | 'types'): Promise<void> {
	const handle = await openDatabase({ ...databaseOptionsFromEnv(), poolSize: 4 });
	try {
		if (task === 'types') {
			const admin = new URL(handle.connectionString);
			admin.pathname = '/postgres';
			await generateSchemaTypes(admin.toString(), process.argv.includes('--verify'));
			log.info({ file: SCHEMA_TYPES_FILE }, 'table types generated');
			return;
		}
		await migrateToLatest(handle.db);
		if (task === 'seed') {
			const summary = await seedDemoCounty(handle.db);
			log.info(summary, 'demo county seeded');
		}
	} finally {
		await handle.close();
	}
}
