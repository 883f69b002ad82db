import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { createPool, ensureDatabase, kyselyFor } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { TEMPLATE_DATABASE } from './db';

/**
 * One real PostgreSQL for the whole integration run (the embedded one, or TEST_DATABASE_URL).
 * A template database is migrated once; every test file clones it into a database of its own,
 * so files never share rows and may run in any order.
 */
let embedded: EmbeddedServer | undefined;

export async function setup(project: TestProject) {
	let adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) {
		const port = Number(process.env.TEST_PG_PORT ?? 25439);
		const dataDir = `.data/test-postgres-${port}`;
		rmSync(dataDir, { recursive: true, force: true });
		embedded = await startEmbeddedPostgres(dataDir, port);
		adminUrl = embedded.urlFor('postgres');
	}
	const template = new URL(adminUrl);
	template.pathname = `/${TEMPLATE_DATABASE}`;
	const admin = createPool(adminUrl, 1);
	await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
	await admin.end();
	await ensureDatabase(adminUrl, TEMPLATE_DATABASE);
	const db = kyselyFor(createPool(template.toString(), 2));
	await migrateToLatest(db);
	await db.destroy();
	project.provide('adminDatabaseUrl', adminUrl);
}

export async function teardown() {
	await embedded?.stop();
}

declare module 'vitest' {
	export interface ProvidedContext {
		adminDatabaseUrl: string;
	}
}
