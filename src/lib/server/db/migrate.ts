import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './index';
import { log } from '../log';

// Vite bundles every migration file into the server build, so start-up needs no file access.
const modules = import.meta.glob<Migration>('/db/migrations/*.ts', { eager: true });

export const migrations: Record<string, Migration> = Object.fromEntries(
	Object.entries(modules).map(([file, migration]) => [file.replace(/^.*\//, '').replace(/\.ts$/, ''), migration])
);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema to the latest migration. Kysely's migrator takes an advisory lock, so
 * several instances starting at once migrate safely.
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
	const migrator = new Migrator({ db, provider });
	const { error, results } = await migrator.migrateToLatest();
	const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
	for (const failed of (results ?? []).filter((r) => r.status === 'Error')) {
		log.error({ migration: failed.migrationName }, 'migration failed');
	}
	if (error) throw error instanceof Error ? error : new Error(String(error));
	if (applied.length) log.info({ applied }, 'migrations applied');
	return applied;
}
