import { sql, type Kysely } from 'kysely';

// Pooled-funding bids: funding rounds per cluster, bids written together by partner settings,
// pledges to the pool, endorsements of an exact submitted version, and officer decisions.
// Money is whole pence in bigint columns. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	// Officers may let a cluster's lead open funding rounds for that cluster.
	await db.schema
		.alterTable('cluster')
		.addColumn('leads_may_open_rounds', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();

	await db.schema
		.createTable('funding_round')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('pot_pence', 'bigint', (c) => c.notNull().check(sql`pot_pence > 0`))
		.addColumn('max_request_pence', 'bigint', (c) => c.notNull().check(sql`max_request_pence > 0`))
		.addColumn('approved_pence', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('opens_at', 'timestamptz', (c) => c.notNull())
		.addColumn('closes_at', 'timestamptz', (c) => c.notNull())
		.addColumn('guidance', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('endorsement_rule', 'text', (c) =>
			c.notNull().check(sql`endorsement_rule in ('majority', 'percentage', 'count')`)
		)
		.addColumn('endorsement_value', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		// The last line of defence against overspending: approvals can never exceed the pot,
		// whatever the application does.
		.addCheckConstraint('funding_round_within_pot', sql`approved_pence >= 0 and approved_pence <= pot_pence`)
		.addCheckConstraint('funding_round_max_request', sql`max_request_pence <= pot_pence`)
		.addCheckConstraint('funding_round_dates', sql`closes_at > opens_at`)
		.execute();
	await db.schema.createIndex('funding_round_cluster').on('funding_round').column('cluster_id').execute();

	await db.schema
		.createTable('bid')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('round_id', 'integer', (c) => c.notNull().references('funding_round.id'))
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('lead_setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('needs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('phases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('cohort_size', 'integer', (c) => c.check(sql`cohort_size >= 0`))
		.addColumn('evaluation', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('requested_pence', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`requested_pence >= 0`))
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('draft')
				.check(
					sql`status in ('draft', 'endorsement', 'review', 'approved', 'declined', 'funded', 'closed', 'withdrawn')`
				)
		)
		// Each submission gets a number; endorsements are of one numbered submission.
		.addColumn('submission_no', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('lead_signed_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('lead_signed_at', 'timestamptz')
		.addColumn('approved_pence', 'bigint', (c) => c.check(sql`approved_pence > 0`))
		.addColumn('conditions', 'text')
		.addColumn('decision_reason', 'text')
		.addColumn('officer_points', 'text')
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		// One counter per section, so two people writing different sections never collide.
		.addColumn('section_versions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();
	await db.schema.createIndex('bid_round').on('bid').column('round_id').execute();
	await db.schema.createIndex('bid_cluster').on('bid').column('cluster_id').execute();

	await db.schema
		.createTable('bid_partner')
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('added_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('bid_partner_pk', ['bid_id', 'setting_id'])
		.execute();

	await db.schema
		.createTable('bid_pledge')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('money_pence', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`money_pence >= 0`))
		.addColumn('staff_hours', 'integer', (c) => c.notNull().defaultTo(0).check(sql`staff_hours >= 0`))
		.addColumn('staff_description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('confirmed_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('confirmed_at', 'timestamptz')
		.addUniqueConstraint('bid_pledge_setting', ['bid_id', 'setting_id'])
		.execute();

	await db.schema
		.createTable('bid_budget_line')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('item', 'text', (c) => c.notNull())
		.addColumn('category', 'text', (c) => c.notNull())
		.addColumn('cost_pence', 'bigint', (c) => c.notNull().check(sql`cost_pence > 0`))
		.execute();
	await db.schema.createIndex('bid_budget_line_bid').on('bid_budget_line').column('bid_id').execute();

	await db.schema
		.createTable('bid_measure')
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('measure', 'text', (c) => c.notNull().check(sql`measure in ('IM1', 'IM2', 'IM3', 'IM4', 'IM5')`))
		.addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
		.addPrimaryKeyConstraint('bid_measure_pk', ['bid_id', 'measure'])
		.execute();

	await db.schema
		.createTable('bid_milestone')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('due_on', 'date', (c) => c.notNull())
		.addColumn('progress', 'text', (c) =>
			c.notNull().defaultTo('not_started').check(sql`progress in ('not_started', 'on_track', 'at_risk', 'done')`)
		)
		.addColumn('progress_note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('progress_updated_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('progress_updated_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('bid_milestone_bid').on('bid_milestone').column('bid_id').execute();

	// The exact text each submission carried, so endorsers endorse a fixed version and can see
	// what changed since they endorsed.
	await db.schema
		.createTable('bid_submission')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('submission_no', 'integer', (c) => c.notNull())
		.addColumn('snapshot', 'jsonb', (c) => c.notNull())
		.addColumn('submitted_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('bid_submission_no', ['bid_id', 'submission_no'])
		.execute();

	await db.schema
		.createTable('bid_endorsement')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bid_id', 'integer', (c) => c.notNull().references('bid.id').onDelete('cascade'))
		.addColumn('submission_no', 'integer', (c) => c.notNull())
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('endorse', 'object')`))
		.addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('decided_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('bid_endorsement_once', ['bid_id', 'submission_no', 'setting_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'bid_endorsement',
		'bid_submission',
		'bid_milestone',
		'bid_measure',
		'bid_budget_line',
		'bid_pledge',
		'bid_partner',
		'bid',
		'funding_round'
	]) {
		await db.schema.dropTable(table).ifExists().execute();
	}
	await db.schema.alterTable('cluster').dropColumn('leads_may_open_rounds').execute();
}
