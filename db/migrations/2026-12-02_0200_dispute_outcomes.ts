import { sql, type Kysely } from 'kysely';

// What happens after a dispute panel meets: the outcome the parties reached (an agreement, not a
// ruling), the actions they agreed with owner and due date (chased when overdue), the escalation
// route worked out if it is unresolved, the follow-up check, each party's feedback, closing and
// withdrawing with reasons, a legal hold that stops anonymisation (an Ombudsman complaint or a
// Tribunal appeal pending), the daily job's flags on targets and deadlines, and when a closed case
// was anonymised. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dispute_outcome')
		.addColumn('case_id', 'integer', (c) => c.primaryKey().references('dispute_case.id').onDelete('cascade'))
		.addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('resolved', 'partly_resolved', 'not_resolved')`))
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('met_on', 'date', (c) => c.notNull())
		.addColumn('escalation', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
		.addColumn('follow_up_on', 'date', (c) => c.notNull())
		.addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('dispute_action')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('owner_kind', 'text', (c) => c.notNull().check(sql`owner_kind in ('family', 'setting', 'user')`))
		.addColumn('owner_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('due_on', 'date', (c) => c.notNull())
		.addColumn('done_at', 'timestamptz')
		.addColumn('chased_on', 'date')
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('dispute_action_case').on('dispute_action').columns(['case_id', 'id']).execute();
	await db.schema.createIndex('dispute_action_open_due').on('dispute_action').columns(['due_on', 'id']).where(sql.ref('done_at'), 'is', null).execute();
	await db.schema.createIndex('dispute_action_owner_user').on('dispute_action').columns(['owner_user_id', 'due_on']).where(sql.ref('done_at'), 'is', null).execute();

	await db.schema
		.createTable('dispute_feedback')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('party', 'text', (c) => c.notNull().check(sql`party in ('family', 'setting')`))
		.addColumn('rating', 'integer', (c) => c.notNull().check(sql`rating between 1 and 5`))
		.addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('dispute_feedback_once', ['case_id', 'party'])
		.execute();

	// The daily job's flags: one per case and target or deadline, raised or cleared each run.
	await db.schema
		.createTable('dispute_flag')
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('what', 'text', (c) => c.notNull())
		.addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('approaching', 'past')`))
		.addColumn('due_on', 'date', (c) => c.notNull())
		.addColumn('flagged_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('dispute_flag_pk', ['case_id', 'key'])
		.execute();

	// The escalation, follow-up, flagging and retention periods officers keep (missing keys: the defaults).
	await db.schema.alterTable('dispute_district').addColumn('outcome_periods', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();

	await db.schema
		.alterTable('dispute_case')
		.addColumn('end_reason', 'text')
		.addColumn('legal_hold', 'text', (c) => c.check(sql`legal_hold in ('ombudsman', 'tribunal')`))
		.addColumn('legal_hold_reason', 'text')
		.addColumn('legal_hold_at', 'timestamptz')
		.addColumn('anonymised_at', 'timestamptz')
		.execute();
	// The retention sweep reads closed and withdrawn cases not yet anonymised, oldest first.
	await db.schema
		.createIndex('dispute_case_retention')
		.on('dispute_case')
		.columns(['status_changed_at', 'id'])
		.where(sql<boolean>`status in ('closed', 'withdrawn') and anonymised_at is null`)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('dispute_case_retention').execute();
	await db.schema
		.alterTable('dispute_case')
		.dropColumn('end_reason')
		.dropColumn('legal_hold')
		.dropColumn('legal_hold_reason')
		.dropColumn('legal_hold_at')
		.dropColumn('anonymised_at')
		.execute();
	await db.schema.alterTable('dispute_district').dropColumn('outcome_periods').execute();
	for (const table of ['dispute_flag', 'dispute_feedback', 'dispute_action', 'dispute_outcome']) await db.schema.dropTable(table).execute();
}
