import { sql, type Kysely } from 'kysely';

// District dispute-resolution panels, the first slice: each district's periods and quorum rule
// (kept by its SENDIASS officers; a missing row means the Code of Practice defaults), its term
// dates, the cases (the child by initials and year group only; no names or contact details), the
// deadlines each case carried from intake, and the log of every look at a case, refusals
// included. Frozen once landed.

const CATEGORIES = ['exclusion', 'transport', 'ehc_decision', 'disability_discrimination', 'sen_support', 'plan_delivery', 'communication', 'reasonable_adjustments', 'other'];
const OTHER_PARTIES = ['maintained_school', 'academy', 'fe_college', 'council', 'health'];
const ROUTES = ['panel', 'exclusion_review', 'transport_review', 'mediation_tribunal', 'discrimination_tribunal'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dispute_district')
		.addColumn('cluster_id', 'integer', (c) => c.primaryKey().references('cluster.id').onDelete('cascade'))
		.addColumn('periods', 'jsonb', (c) => c.notNull())
		.addColumn('quorum', 'jsonb', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();

	await db.schema
		.createTable('dispute_term')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id').onDelete('cascade'))
		.addColumn('starts_on', 'date', (c) => c.notNull())
		.addColumn('ends_on', 'date', (c) => c.notNull())
		.addCheckConstraint('dispute_term_order', sql`starts_on <= ends_on`)
		.execute();
	await db.schema.createIndex('dispute_term_district').on('dispute_term').columns(['district_id', 'starts_on']).execute();

	await db.schema
		.createTable('dispute_case')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('reference', 'text', (c) => c.notNull().unique())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('other_party', 'text', (c) => c.notNull().check(sql`other_party in (${inList(OTHER_PARTIES)})`))
		.addColumn('setting_id', 'integer', (c) => c.references('setting.id').onDelete('set null'))
		.addColumn('category', 'text', (c) => c.notNull().check(sql`category in (${inList(CATEGORIES)})`))
		.addColumn('route', 'text', (c) => c.notNull().check(sql`route in (${inList(ROUTES)})`))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('referred', 'routed_out')`))
		.addColumn('child_initials', 'text', (c) => c.notNull())
		.addColumn('year_group', 'text', (c) => c.notNull())
		.addColumn('tried', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('outcome_sought', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('child_views', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('safeguarding', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('decision_letter_date', 'date')
		.addColumn('intake_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('dispute_case_district').on('dispute_case').columns(['district_id', 'id']).execute();

	// The deadlines worked out at intake: a later change to the district's periods does not move them.
	await db.schema
		.createTable('dispute_deadline')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('what', 'text', (c) => c.notNull())
		.addColumn('due_on', 'date', (c) => c.notNull())
		.addColumn('from_on', 'date', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	await db.schema.createIndex('dispute_deadline_case').on('dispute_deadline').columns(['case_id', 'due_on']).execute();

	// Every look at a case, allowed or refused: who, when, what.
	await db.schema
		.createTable('dispute_case_view')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('viewer_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('viewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('what', 'text', (c) => c.notNull())
		.addColumn('allowed', 'boolean', (c) => c.notNull())
		.addColumn('reason', 'text')
		.execute();
	await db.schema.createIndex('dispute_case_view_case').on('dispute_case_view').columns(['case_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['dispute_case_view', 'dispute_deadline', 'dispute_case', 'dispute_term', 'dispute_district']) await db.schema.dropTable(table).execute();
}
