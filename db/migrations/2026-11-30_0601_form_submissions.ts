import { sql, type Kysely } from 'kysely';

// One row per form post that changed something, keyed by the one-time token the form carried.
// The row is written in the same transaction as the change, so a double click or a resent post
// finds it and gets the first answer instead of doing the work twice. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('form_submission')
		.addColumn('token', 'uuid', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('cascade'))
		// Which form (route and action) used the token; a token is good for one form only.
		.addColumn('form', 'text', (c) => c.notNull())
		// A hash of what was posted: the same token with other content is a stale page, not a repeat.
		.addColumn('fingerprint', 'text', (c) => c.notNull())
		// What the command returned, so a repeat that reached the command returns the same.
		.addColumn('result', 'jsonb')
		// Where the first post sent the person, so a repeat after it committed goes there too.
		.addColumn('location', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('form_submission_created_at').on('form_submission').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('form_submission').execute();
}
