import { sql, type Kysely } from 'kysely';

// A specialist scheme after approval in principle: the feasibility record (site survey, costed
// total with its contingency, whether planning is needed) with the amount approved so far; change
// control when the costed total moves (append-only requests, decided by a second officer, a rise
// committed through the money module under its locks); the statutory steps that apply (prescribed
// alteration, significant change, planning) with their status; the equalities impact assessment;
// the funding agreement (the terms as issued, its signatures); delivery milestones. Money is whole
// pence. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('capital_scheme')
		.addColumn('application_id', 'integer', (c) => c.primaryKey().references('capital_application.id'))
		.addColumn('survey_done_on', 'date')
		// The whole costed scheme, contingency included; the contingency is the part of it held for risk.
		.addColumn('costed_total_pence', 'bigint', (c) => c.check(sql`costed_total_pence > 0`))
		.addColumn('contingency_pence', 'bigint', (c) => c.check(sql`contingency_pence >= 0`))
		.addColumn('planning_needed', 'boolean', (c) => c.notNull().defaultTo(false))
		// What is approved for the scheme: what the application asked for, then each approved change.
		.addColumn('approved_pence', 'bigint', (c) => c.notNull().check(sql`approved_pence >= 0`))
		.addColumn('eia_on', 'date')
		.addColumn('eia_summary', 'text')
		.addColumn('eia_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addCheckConstraint('capital_scheme_contingency_within', sql`contingency_pence is null or costed_total_pence is null or contingency_pence <= costed_total_pence`)
		.addCheckConstraint('capital_scheme_eia_whole', sql`(eia_on is null) = (eia_summary is null) and (eia_on is null) = (eia_by is null)`)
		.execute();

	// Change control: one row per move of the costed total, never rewritten except to record its decision once.
	await db.schema
		.createTable('capital_scheme_change')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('from_pence', 'bigint', (c) => c.notNull().check(sql`from_pence >= 0`))
		.addColumn('to_pence', 'bigint', (c) => c.notNull().check(sql`to_pence > 0`))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('requested_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`))
		.addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decision_reason', 'text')
		// The commitment that funds a rise beyond what was committed, made through the money module.
		.addColumn('commitment_id', 'integer', (c) => c.references('capital_commitment.id'))
		.addCheckConstraint('capital_scheme_change_moves', sql`from_pence <> to_pence`)
		// Nobody approves a change they asked for: the policy refuses it, and this holds whatever writes.
		.addCheckConstraint('capital_scheme_change_four_eyes', sql`decided_by is null or decided_by <> requested_by`)
		.addCheckConstraint('capital_scheme_change_decided', sql`(status = 'pending') = (decided_by is null)`)
		.execute();
	await sql`create unique index capital_scheme_change_pending on capital_scheme_change (application_id) where status = 'pending'`.execute(db);
	await db.schema.createIndex('capital_scheme_change_application').on('capital_scheme_change').columns(['application_id', 'id']).execute();

	await db.schema
		.createTable('capital_statutory_step')
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('step', 'text', (c) => c.notNull().check(sql`step in ('prescribed_alteration', 'significant_change', 'planning')`))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('not_started', 'in_progress', 'approved', 'refused')`))
		.addColumn('status_on', 'date', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('capital_statutory_step_pk', ['application_id', 'step'])
		.execute();

	await db.schema
		.createTable('capital_scheme_agreement')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('agreement_version', 'integer', (c) => c.notNull().check(sql`agreement_version > 0`))
		// The terms as issued: the agreement always prints the same words.
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence > 0`))
		.addColumn('places', 'integer', (c) => c.notNull().check(sql`places > 0`))
		.addColumn('clawback_years', 'integer', (c) => c.notNull().check(sql`clawback_years between 1 and 50`))
		.addColumn('conditions', 'text', (c) => c.notNull())
		// The statutory approvals it rests on, in words, as they stood when it was issued.
		.addColumn('statutory', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('issued').check(sql`status in ('issued', 'signed')`))
		.addColumn('issued_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('signed_at', 'timestamptz')
		.addCheckConstraint('capital_scheme_agreement_signed', sql`(status = 'signed') = (signed_at is not null)`)
		.execute();
	await db.schema.createIndex('capital_scheme_agreement_version').on('capital_scheme_agreement').columns(['application_id', 'agreement_version']).unique().execute();

	await db.schema
		.createTable('capital_scheme_agreement_signature')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('agreement_id', 'integer', (c) => c.notNull().references('capital_scheme_agreement.id'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('capacity', 'text', (c) => c.notNull())
		.addColumn('signed_by', 'integer', (c) => c.notNull().references('app_user.id'))
		// A governing body's, a trust's or a landowner's sign-off names who signed for it.
		.addColumn('signed_for_name', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_scheme_agreement_signature_once').on('capital_scheme_agreement_signature').columns(['agreement_id', 'setting_id', 'capacity']).unique().execute();

	// Each look at a funding agreement, logged like the grant letters.
	await db.schema
		.createTable('capital_scheme_agreement_download')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('agreement_id', 'integer', (c) => c.notNull().references('capital_scheme_agreement.id'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('downloaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('capital_scheme_milestone')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('due_on', 'date', (c) => c.notNull())
		.addColumn('done_on', 'date')
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('done_by', 'integer', (c) => c.references('app_user.id'))
		.addCheckConstraint('capital_scheme_milestone_done', sql`(done_on is null) = (done_by is null)`)
		.execute();
	await db.schema.createIndex('capital_scheme_milestone_application').on('capital_scheme_milestone').columns(['application_id', 'due_on']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('capital_scheme_milestone').execute();
	await db.schema.dropTable('capital_scheme_agreement_download').execute();
	await db.schema.dropTable('capital_scheme_agreement_signature').execute();
	await db.schema.dropTable('capital_scheme_agreement').execute();
	await db.schema.dropTable('capital_statutory_step').execute();
	await db.schema.dropTable('capital_scheme_change').execute();
	await db.schema.dropTable('capital_scheme').execute();
}
