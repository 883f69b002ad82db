import type { Kysely } from 'kysely';

// A submitted bid's frozen snapshot keeps its SHA-256 (the document kit's `freeze`), so anyone can
// show that endorsers read the same text and that a stored snapshot was never edited afterwards.
// Nullable: submissions made before this column have no hash stored. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('bid_submission').addColumn('content_hash', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('bid_submission').dropColumn('content_hash').execute();
}
