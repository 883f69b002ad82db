import { sql, type Kysely } from 'kysely';

// Inclusion-base capital, the core every later step builds on: the application (one per base a
// setting, or a trust for several of its schools, asks capital for), its stage in the flow its
// line's process follows, the settings it covers, and the secondary rollout register (every
// secondary is on it from the start, whether or not it has applied). Sections are written through
// the document kit: content by section in jsonb, one version counter per section. The stage words
// and the moves between them are pure rules in $lib/capital/flow.ts. Frozen once landed.

const STAGES = [
	'draft',
	'submitted',
	'more_information',
	'withdrawn',
	'in_assessment',
	'recommended',
	'not_recommended',
	'board_endorsed',
	'approved_in_principle',
	'approved',
	'deferred',
	'declined',
	'feasibility',
	'statutory',
	'agreement',
	'grant_offered',
	'grant_accepted',
	'claimed',
	'in_delivery',
	'open'
];
const REGISTER = ['not_engaged', 'in_conversation', 'application', 'approved', 'in_delivery', 'open'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('capital_application')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('reference', 'text', (c) => c.notNull().unique())
		.addColumn('round_id', 'integer', (c) => c.notNull().references('capital_round.id'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		// The lead setting (where the base will be); a trust's application covers more in capital_application_setting.
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		// The district cluster the lead setting was in when the application started (who may see it).
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('stage', 'text', (c) => c.notNull().defaultTo('draft').check(sql`stage in (${inList(STAGES)})`))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('content', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('section_versions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		// Figures the pipeline counts, kept as columns (not only inside content) so the dashboard sums them.
		.addColumn('places', 'integer', (c) => c.check(sql`places > 0`))
		.addColumn('requested_pence', 'bigint', (c) => c.check(sql`requested_pence >= 0`))
		.addColumn('band', 'text', (c) => c.check(sql`band in ('standard', 'enhanced')`))
		.addColumn('opening_year', 'integer', (c) => c.check(sql`opening_year between 2020 and 2100`))
		.addColumn('delivery_route', 'text', (c) => c.check(sql`delivery_route in ('trust', 'council')`))
		.addColumn('submission_no', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('submitted_at', 'timestamptz')
		.addColumn('decided_at', 'timestamptz')
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('capital_application_round').on('capital_application').columns(['round_id', 'stage', 'id']).execute();
	await db.schema.createIndex('capital_application_district').on('capital_application').columns(['district_id', 'stage', 'id']).execute();
	await db.schema.createIndex('capital_application_line').on('capital_application').columns(['line_id', 'stage']).execute();
	await db.schema.createIndex('capital_application_setting_lead').on('capital_application').column('setting_id').execute();

	await db.schema
		.createTable('capital_application_setting')
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id').onDelete('cascade'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addPrimaryKeyConstraint('capital_application_setting_pk', ['application_id', 'setting_id'])
		.execute();
	await db.schema.createIndex('capital_application_setting_by_setting').on('capital_application_setting').column('setting_id').execute();

	await db.schema
		.createTable('capital_rollout')
		.addColumn('setting_id', 'integer', (c) => c.primaryKey().references('setting.id'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('not_engaged').check(sql`status in (${inList(REGISTER)})`))
		.addColumn('planned_year', 'integer', (c) => c.check(sql`planned_year between 2020 and 2100`))
		.addColumn('band', 'text', (c) => c.check(sql`band in ('standard', 'enhanced')`))
		.addColumn('application_id', 'integer', (c) => c.references('capital_application.id'))
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('capital_rollout_status').on('capital_rollout').columns(['line_id', 'status', 'setting_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['capital_rollout', 'capital_application_setting', 'capital_application']) {
		await db.schema.dropTable(table).execute();
	}
}
