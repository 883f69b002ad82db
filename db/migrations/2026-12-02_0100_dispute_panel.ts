import { sql, type Kysely } from 'kysely';

// District dispute-resolution panels, the panel part: each district's pool of members (portal
// users) with their panel roles and affiliations (employer, settings, trusts, council), the
// quorum rule's history, who advised the family on a case (conflicted from it), conflicts members
// declare, the scheduling poll (availability confirmed, candidate slots, answers, one tokenised
// link per member), the booked meeting (stable calendar UID, rising SEQUENCE) and attachments on
// outgoing mail (the `.ics` invitation). Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dispute_member')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('roles', sql`text[]`, (c) => c.notNull())
		.addColumn('employer', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('council_employee', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('setting_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('trust_names', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('feed_token_hash', 'text')
		.addUniqueConstraint('dispute_member_once', ['district_id', 'user_id'])
		.addCheckConstraint('dispute_member_roles', sql`cardinality(roles) > 0 and roles <@ array['chair', 'independent_member', 'parent_carer_rep', 'education_professional']::text[]`)
		.execute();

	await db.schema
		.createTable('dispute_quorum_change')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id').onDelete('cascade'))
		.addColumn('quorum', 'jsonb', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('changed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('dispute_quorum_change_district').on('dispute_quorum_change').columns(['district_id', 'id']).execute();

	await db.schema
		.createTable('dispute_adviser')
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('dispute_adviser_pk', ['case_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('dispute_conflict')
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('declared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('dispute_conflict_pk', ['case_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('dispute_poll')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().unique().references('dispute_case.id').onDelete('cascade'))
		.addColumn('family_availability', 'text', (c) => c.notNull())
		.addColumn('school_availability', 'text', (c) => c.notNull())
		.addColumn('closes_at', 'timestamptz', (c) => c.notNull())
		.addColumn('all_answered_at', 'timestamptz')
		.addColumn('booked_slot_id', 'integer')
		.addColumn('booked_member_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('ics_uid', 'text', (c) => c.notNull())
		.addColumn('ics_sequence', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('cancelled_at', 'timestamptz')
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema
		.createTable('dispute_slot')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('poll_id', 'integer', (c) => c.notNull().references('dispute_poll.id').onDelete('cascade'))
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz', (c) => c.notNull())
		.addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('in_person', 'online')`))
		.addColumn('place', 'text', (c) => c.notNull())
		.addCheckConstraint('dispute_slot_order', sql`starts_at < ends_at`)
		.execute();
	await db.schema.createIndex('dispute_slot_poll').on('dispute_slot').columns(['poll_id', 'starts_at']).execute();

	await db.schema
		.createTable('dispute_answer')
		.addColumn('slot_id', 'integer', (c) => c.notNull().references('dispute_slot.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('yes', 'if_need_be', 'no')`))
		.addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('dispute_answer_pk', ['slot_id', 'user_id'])
		.execute();

	// The link in each member's poll email: only its hash is kept.
	await db.schema
		.createTable('dispute_poll_link')
		.addColumn('poll_id', 'integer', (c) => c.notNull().references('dispute_poll.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addPrimaryKeyConstraint('dispute_poll_link_pk', ['poll_id', 'user_id'])
		.execute();

	await db.schema
		.alterTable('mail_outbox')
		.addColumn('attachment_name', 'text')
		.addColumn('attachment_type', 'text')
		.addColumn('attachment_content', 'text')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').dropColumn('attachment_name').dropColumn('attachment_type').dropColumn('attachment_content').execute();
	for (const table of ['dispute_poll_link', 'dispute_answer', 'dispute_slot', 'dispute_poll', 'dispute_conflict', 'dispute_adviser', 'dispute_quorum_change', 'dispute_member']) {
		await db.schema.dropTable(table).execute();
	}
}
