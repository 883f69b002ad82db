import { sql, type Kysely } from 'kysely';

// Early years grants after the decision: the offer (a grant letter, one version per offer made on
// the application), its acceptance by the setting's signatory with the subsidy-control
// declaration, the claim with evidence of spend, and its approval by a different officer, which
// records the spend and opens the base. An offer can be withdrawn or lapse with a reason. The
// money itself is a `capital_commitment` made through the money module under its locks.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('capital_grant_offer')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		// The grant letter's version: 1 for the first offer on an application, 2 after one is withdrawn and another made.
		.addColumn('letter_version', 'integer', (c) => c.notNull().check(sql`letter_version > 0`))
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence > 0`))
		.addColumn('source_id', 'integer', (c) => c.notNull().references('capital_source.id'))
		.addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
		// The commitment the offer holds; released (deleted, recorded on the timeline) if the offer ends.
		.addColumn('commitment_id', 'integer', (c) => c.references('capital_commitment.id').onDelete('set null'))
		.addColumn('conditions', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('offered').check(sql`status in ('offered', 'accepted', 'claimed', 'paid', 'withdrawn', 'lapsed')`))
		.addColumn('offered_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('offered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('accepted_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('accepted_at', 'timestamptz')
		.addColumn('accepted_as', 'text')
		// The subsidy-control declaration as the signatory made it (words and answers).
		.addColumn('declaration', 'jsonb')
		.addColumn('claimed_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('claimed_at', 'timestamptz')
		.addColumn('claim_amount_pence', 'bigint', (c) => c.check(sql`claim_amount_pence > 0`))
		.addColumn('claim_note', 'text')
		.addColumn('claim_file_id', 'integer', (c) => c.references('capital_application_file.id'))
		.addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('approved_at', 'timestamptz')
		.addColumn('spend_id', 'integer', (c) => c.references('capital_spend.id'))
		.addColumn('ended_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('ended_at', 'timestamptz')
		.addColumn('end_reason', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		// Nobody approves a claim on an offer they made: the policy refuses it, and this holds whatever writes.
		.addCheckConstraint('capital_grant_four_eyes', sql`approved_by is null or approved_by <> offered_by`)
		.addCheckConstraint('capital_grant_accepted', sql`(accepted_by is null) = (accepted_at is null)`)
		.addCheckConstraint('capital_grant_claim_evidence', sql`claimed_by is null or claim_file_id is not null`)
		.execute();
	// At most one live offer per application, and one row per letter version.
	await sql`create unique index capital_grant_offer_live on capital_grant_offer (application_id) where status in ('offered', 'accepted', 'claimed')`.execute(db);
	await db.schema.createIndex('capital_grant_offer_version').on('capital_grant_offer').columns(['application_id', 'letter_version']).unique().execute();

	// Each look at a grant letter, logged like evidence downloads.
	await db.schema
		.createTable('capital_grant_letter_download')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('offer_id', 'integer', (c) => c.notNull().references('capital_grant_offer.id'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('downloaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_grant_letter_download_offer').on('capital_grant_letter_download').columns(['offer_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('capital_grant_letter_download').execute();
	await db.schema.dropTable('capital_grant_offer').execute();
}
