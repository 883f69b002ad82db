import type { Kysely } from 'kysely';

// Officers now set up academy trusts in the portal (create, link and unlink academies): each change
// carries the version of the trust the officer saw, so two officers changing one trust's academies
// at once cannot overwrite each other unseen. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('academy_trust').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('academy_trust').dropColumn('version').execute();
}
