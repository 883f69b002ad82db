import { sql, type Kysely } from 'kysely';

// "You said, we did" editions and families' email subscriptions. An edition (a district's, or
// county-wide when district_id is null) has a title, a period and a plain-English introduction;
// a PCF representative and an officer co-edit it (version checked), then an officer and the PCF
// lead each approve the version they read (any save clears both approvals), and the second
// approval publishes it. Subscribers are families without accounts: the least is kept (the
// address and the district, none for county-wide), a confirmation token's hash (kept once used, so a second use is told it was used),
// and a random key for the unsubscribe link every email carries (it can only unsubscribe, and the
// publishing insert writes it into each message in one statement). Unsubscribing deletes the row.
// The mail outbox gains the one-click unsubscribe address (RFC 8058) a message may carry.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('pcf_edition')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.references('cluster.id'))
		.addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
		.addColumn('period_from', 'date', (c) => c.notNull())
		.addColumn('period_to', 'date', (c) => c.notNull())
		.addColumn('introduction', 'text', (c) => c.notNull().check(sql`length(introduction) between 1 and 10000`))
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('officer_approved_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('officer_approved_at', 'timestamptz')
		.addColumn('lead_approved_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('lead_approved_at', 'timestamptz')
		.addColumn('published_at', 'timestamptz')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.addCheckConstraint('pcf_edition_period', sql`period_from <= period_to`)
		.addCheckConstraint('pcf_edition_officer', sql`(officer_approved_by is null) = (officer_approved_at is null)`)
		.addCheckConstraint('pcf_edition_lead', sql`(lead_approved_by is null) = (lead_approved_at is null)`)
		.addCheckConstraint('pcf_edition_published', sql`published_at is null or (officer_approved_at is not null and lead_approved_at is not null)`)
		.execute();
	await sql`create index pcf_edition_published on pcf_edition (published_at desc, id desc) where published_at is not null`.execute(db);
	await db.schema.createIndex('pcf_edition_district').on('pcf_edition').columns(['district_id', 'id']).execute();

	await db.schema
		.createTable('pcf_subscriber')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull().check(sql`length(email) between 3 and 254 and email = lower(email)`))
		.addColumn('district_id', 'integer', (c) => c.references('cluster.id').onDelete('cascade'))
		.addColumn('confirm_token_hash', 'text')
		.addColumn('confirm_expires_at', 'timestamptz')
		.addColumn('confirmed_at', 'timestamptz')
		.addColumn('unsubscribe_key', 'uuid', (c) => c.notNull().unique().defaultTo(sql`gen_random_uuid()`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('pcf_subscriber_token', sql`(confirm_token_hash is null) = (confirm_expires_at is null) and (confirmed_at is not null or confirm_token_hash is not null)`)
		.execute();
	// One row per address and district (county-wide counted as one district).
	await sql`create unique index pcf_subscriber_address on pcf_subscriber (email, coalesce(district_id, 0))`.execute(db);
	await sql`create unique index pcf_subscriber_token on pcf_subscriber (confirm_token_hash) where confirm_token_hash is not null`.execute(db);
	await sql`create index pcf_subscriber_confirmed on pcf_subscriber (district_id) where confirmed_at is not null`.execute(db);

	await db.schema.alterTable('mail_outbox').addColumn('list_unsubscribe', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').dropColumn('list_unsubscribe').execute();
	await db.schema.dropTable('pcf_subscriber').execute();
	await db.schema.dropTable('pcf_edition').execute();
}
