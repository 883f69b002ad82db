import type { Kysely } from 'kysely';

// District dispute-resolution panels: when a member still to answer a meeting poll was reminded
// before it closes (so each is reminded once). The private calendar feed uses the
// `dispute_member.feed_token_hash` column the panel migration reserved. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('dispute_poll_link').addColumn('reminded_at', 'timestamptz').execute();
	await db.schema.createIndex('dispute_member_feed_token').on('dispute_member').column('feed_token_hash').unique().where('feed_token_hash', 'is not', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('dispute_member_feed_token').execute();
	await db.schema.alterTable('dispute_poll_link').dropColumn('reminded_at').execute();
}
