import { sql, type Kysely } from 'kysely';

// The dispute panels' anonymised themes reach the Parent Carer Forum's "you said, we did" as
// aggregated feedback of their own source: a category, a quarter and a count (never a case, a
// name or free text), passed by the district's SENDIASS officers from the governance figures.
// The district's targets, periods and term dates were already kept in dispute_district and
// dispute_term, so the settings page needs no new table. Frozen once landed.

const SOURCES = ['forum', 'survey', 'send_connect', 'youth_forum', 'dispute_panels'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_point').dropConstraint('pcf_point_source_check').execute();
	await db.schema.alterTable('pcf_point').addCheckConstraint('pcf_point_source_check', sql`source in (${inList(SOURCES)})`).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.deleteFrom('pcf_point').where('source', '=', 'dispute_panels').execute();
	await db.schema.alterTable('pcf_point').dropConstraint('pcf_point_source_check').execute();
	await db.schema.alterTable('pcf_point').addCheckConstraint('pcf_point_source_check', sql`source in (${inList(SOURCES.slice(0, 4))})`).execute();
}
