import { sql, type Kysely } from 'kysely';

// Consultations and decision points: an officer or a cluster lead opens one in a cluster workspace
// on a document or a question, labelled co-design, pre-consultation or formal (a formal one names
// its statutory route), with its co-production stage and a closing date the rules checked (a
// minimum period in working days, school holidays avoided, both set per district on the PCF
// group). The forum's position and points, and families' feedback, attach to a consultation as a
// third kind of proposal (exactly one of bid, application or consultation is set). Closing and
// extending are recorded (who, when, why) in the audit log, which the consultation's timeline reads.

const LABELS = ['co_design', 'pre_consultation', 'formal'];
const STAGES = ['informing', 'consulting', 'engaging', 'co_design', 'co_production'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const oneProposal = sql`num_nonnulls(bid_id, capital_application_id, consultation_id) = 1`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('pcf_group')
		// The shortest consultation the district allows, in working days, and whether a closing date may fall in a school holiday.
		.addColumn('consultation_min_days', 'integer', (c) => c.notNull().defaultTo(30).check(sql`consultation_min_days between 1 and 120`))
		.addColumn('consultation_avoid_holidays', 'boolean', (c) => c.notNull().defaultTo(true))
		.execute();

	await db.schema
		.createTable('pcf_consultation')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('district_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
		.addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 20000`))
		.addColumn('link', 'text', (c) => c.check(sql`link ~ '^https://' and length(link) <= 500`))
		.addColumn('label', 'text', (c) => c.notNull().check(sql`label in (${inList(LABELS)})`))
		.addColumn('statutory_route', 'text', (c) => c.check(sql`length(statutory_route) between 1 and 500`))
		.addColumn('coproduction_stage', 'text', (c) => c.notNull().check(sql`coproduction_stage in (${inList(STAGES)})`))
		.addColumn('opens_on', 'date', (c) => c.notNull())
		.addColumn('closes_on', 'date', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
		.addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('closed_at', 'timestamptz')
		.addColumn('closed_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addCheckConstraint('pcf_consultation_route', sql`(label = 'formal') = (statutory_route is not null)`)
		.addCheckConstraint('pcf_consultation_dates', sql`opens_on < closes_on`)
		.addCheckConstraint('pcf_consultation_closed', sql`(status = 'closed') = (closed_at is not null) and (closed_at is null) = (closed_by is null)`)
		.execute();
	await db.schema.createIndex('pcf_consultation_cluster').on('pcf_consultation').columns(['cluster_id', 'id']).execute();
	await db.schema.createIndex('pcf_consultation_district').on('pcf_consultation').columns(['district_id', 'id']).execute();

	for (const table of ['pcf_watch', 'pcf_position', 'pcf_point']) {
		await db.schema.alterTable(table).addColumn('consultation_id', 'integer', (c) => c.references('pcf_consultation.id')).execute();
		await db.schema.alterTable(table).dropConstraint(`${table}_one_proposal`).execute();
		await db.schema.alterTable(table).addCheckConstraint(`${table}_one_proposal`, oneProposal).execute();
	}
	await sql`create unique index pcf_watch_consultation on pcf_watch (district_id, consultation_id) where consultation_id is not null`.execute(db);
	await sql`create unique index pcf_position_consultation on pcf_position (district_id, consultation_id) where consultation_id is not null`.execute(db);
	await db.schema.createIndex('pcf_point_consultation').on('pcf_point').columns(['consultation_id', 'id']).where(sql.ref('consultation_id'), 'is not', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['pcf_watch', 'pcf_position', 'pcf_point']) {
		await db.schema.alterTable(table).dropConstraint(`${table}_one_proposal`).execute();
		await db.schema.alterTable(table).dropColumn('consultation_id').execute();
		await db.schema.alterTable(table).addCheckConstraint(`${table}_one_proposal`, sql`num_nonnulls(bid_id, capital_application_id) = 1`).execute();
	}
	await db.schema.dropTable('pcf_consultation').execute();
	await db.schema.alterTable('pcf_group').dropColumn('consultation_min_days').dropColumn('consultation_avoid_holidays').execute();
}
