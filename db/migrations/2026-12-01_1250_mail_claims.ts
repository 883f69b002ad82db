import { sql, type Kysely } from 'kysely';

// Mail delivery in batches that are safe across instances: an instance claims a batch of unsent
// messages in one statement (claimed_at, claimed_by), sends them, and marks them sent in one more.
// A claim older than the timeout belongs to an instance that died mid-batch and is taken again;
// attempts counts the tries so a message that always fails stops being retried. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('mail_outbox')
		.addColumn('claimed_at', 'timestamptz')
		.addColumn('claimed_by', 'text')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	// The retry sweep walks only what is still to send, oldest first; sent mail is most of the table.
	await sql`create index mail_outbox_unsent on mail_outbox (id) where sent_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('mail_outbox_unsent').ifExists().execute();
	await db.schema.alterTable('mail_outbox').dropColumn('attempts').dropColumn('claimed_by').dropColumn('claimed_at').execute();
}
