import { sql, type Kysely } from 'kysely';

// PCF advice: each district's Parent Carer Forum advisory group (its representatives hold the
// `pcf_rep` cluster role; the group names its lead here), the proposals it chooses to watch, the
// shared theme list, the group's position on a proposal, its points (the forum's own, and
// aggregated feedback from surveys, SEND Connect and the Youth Forum: counts, never who), each
// point's answer and delivery, and the two checks before a point is published on the public
// "you said, we did" pages. A proposal is a funding bid today; inclusion-base applications attach
// through a second nullable key (exactly one is set). Frozen once landed.

const STANCES = ['support', 'support_with_conditions', 'concerns', 'object'];
const SOURCES = ['forum', 'survey', 'send_connect', 'youth_forum'];
const ANSWERS = ['will_change', 'partly', 'not_changed'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const oneProposal = sql`num_nonnulls(bid_id, capital_application_id) = 1`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('pcf_group')
		.addColumn('district_id', 'integer', (c) => c.primaryKey().references('cluster.id'))
		.addColumn('lead_user_id', 'integer', (c) => c.references('app_user.id'))
		// How many working days a point may wait for its answer before its owner is told.
		.addColumn('answer_within_days', 'integer', (c) => c.notNull().defaultTo(20).check(sql`answer_within_days between 1 and 120`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('pcf_watch')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('bid_id', 'integer', (c) => c.references('bid.id'))
		.addColumn('capital_application_id', 'integer', (c) => c.references('capital_application.id'))
		.addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('pcf_watch_one_proposal', oneProposal)
		.execute();
	await sql`create unique index pcf_watch_bid on pcf_watch (district_id, bid_id) where bid_id is not null`.execute(db);
	await sql`create unique index pcf_watch_application on pcf_watch (district_id, capital_application_id) where capital_application_id is not null`.execute(db);

	await db.schema
		.createTable('pcf_theme')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 80`))
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('retired', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await sql`create unique index pcf_theme_name on pcf_theme (lower(name))`.execute(db);
	// The list as a whole has a version: someone adding a theme while another changed the list is told, not left to duplicate it.
	await db.schema
		.createTable('pcf_theme_list')
		.addColumn('id', 'integer', (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.insertInto('pcf_theme_list').values({ id: 1 }).execute();

	await db.schema
		.createTable('pcf_position')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('bid_id', 'integer', (c) => c.references('bid.id'))
		.addColumn('capital_application_id', 'integer', (c) => c.references('capital_application.id'))
		.addColumn('stance', 'text', (c) => c.notNull().check(sql`stance in (${inList(STANCES)})`))
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('drafted_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('approved_at', 'timestamptz')
		// When and where the group agreed it (a meeting, an email round): the lead says.
		.addColumn('agreed_on', 'date')
		.addColumn('agreed_where', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('pcf_position_one_proposal', oneProposal)
		.addCheckConstraint('pcf_position_approval', sql`(approved_by is null) = (approved_at is null) and (approved_by is null or (agreed_on is not null and agreed_where is not null))`)
		.execute();
	await sql`create unique index pcf_position_bid on pcf_position (district_id, bid_id) where bid_id is not null`.execute(db);
	await sql`create unique index pcf_position_application on pcf_position (district_id, capital_application_id) where capital_application_id is not null`.execute(db);

	await db.schema
		.createTable('pcf_point')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('bid_id', 'integer', (c) => c.references('bid.id'))
		.addColumn('capital_application_id', 'integer', (c) => c.references('capital_application.id'))
		// The forum's own points belong to its position; aggregated feedback stands alone.
		.addColumn('position_id', 'integer', (c) => c.references('pcf_position.id'))
		.addColumn('source', 'text', (c) => c.notNull().check(sql`source in (${inList(SOURCES)})`))
		.addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 2000`))
		// Aggregated feedback: when it was heard and how many raised it (never who).
		.addColumn('heard_on', 'date')
		.addColumn('raised_count', 'integer', (c) => c.check(sql`raised_count > 0`))
		// The representative who wrote a forum point (kept off every public page).
		.addColumn('author_id', 'integer', (c) => c.references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('answer', 'text', (c) => c.check(sql`answer in (${inList(ANSWERS)})`))
		.addColumn('answer_text', 'text')
		.addColumn('change_by', 'date')
		.addColumn('answered_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('answered_at', 'timestamptz')
		// Answers are drafted, then published together for the proposal.
		.addColumn('answer_published_at', 'timestamptz')
		.addColumn('delivered_on', 'date')
		.addColumn('delivery_evidence', 'text')
		.addColumn('delivered_by', 'integer', (c) => c.references('app_user.id'))
		// The two checks for anything identifying, then publication (and withdrawal) on the public pages.
		.addColumn('officer_checked_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('officer_checked_at', 'timestamptz')
		.addColumn('lead_checked_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('lead_checked_at', 'timestamptz')
		.addColumn('public_at', 'timestamptz')
		.addColumn('withdrawn_at', 'timestamptz')
		// When what the public pages show of this point last changed (published, delivered, withdrawn): they poll its maximum.
		.addColumn('public_changed_at', 'timestamptz')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.addCheckConstraint('pcf_point_one_proposal', oneProposal)
		.addCheckConstraint('pcf_point_feedback', sql`(source = 'forum') = (position_id is not null) and (source = 'forum' or (heard_on is not null and raised_count is not null))`)
		.addCheckConstraint('pcf_point_delivery', sql`delivered_on is null or (answer = 'will_change' and delivery_evidence is not null)`)
		.addCheckConstraint('pcf_point_public', sql`public_at is null or (officer_checked_at is not null and lead_checked_at is not null and answer_published_at is not null)`)
		.execute();
	await db.schema.createIndex('pcf_point_bid').on('pcf_point').columns(['bid_id', 'id']).where(sql.ref('bid_id'), 'is not', null).execute();
	await db.schema.createIndex('pcf_point_application').on('pcf_point').columns(['capital_application_id', 'id']).where(sql.ref('capital_application_id'), 'is not', null).execute();
	// The public pages walk published points newest first, per district or county-wide.
	await sql`create index pcf_point_public on pcf_point (public_at desc, id desc) where public_at is not null and withdrawn_at is null`.execute(db);
	await sql`create index pcf_point_public_changed on pcf_point (district_id, public_changed_at) where public_changed_at is not null`.execute(db);
	await sql`create index pcf_point_public_changed_all on pcf_point (public_changed_at) where public_changed_at is not null`.execute(db);
	await sql`create index pcf_point_public_district on pcf_point (district_id, public_at desc, id desc) where public_at is not null and withdrawn_at is null`.execute(db);

	await db.schema
		.createTable('pcf_point_theme')
		.addColumn('point_id', 'integer', (c) => c.notNull().references('pcf_point.id').onDelete('cascade'))
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('pcf_theme.id'))
		.addPrimaryKeyConstraint('pcf_point_theme_pk', ['point_id', 'theme_id'])
		.execute();
	await db.schema.createIndex('pcf_point_theme_by_theme').on('pcf_point_theme').columns(['theme_id', 'point_id']).execute();

	// How the forum's advice was considered, said by the officer who decides the bid.
	await db.schema.alterTable('bid').addColumn('pcf_advice_considered', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('bid').dropColumn('pcf_advice_considered').execute();
	for (const table of ['pcf_point_theme', 'pcf_point', 'pcf_position', 'pcf_theme_list', 'pcf_theme', 'pcf_watch', 'pcf_group']) await db.schema.dropTable(table).execute();
}
