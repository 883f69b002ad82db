import { sql, type Kysely } from 'kysely';

// The district a flag's case belongs to, kept on the flag, so a district's flagged cases (the
// case list's "flagged only" filter, the workspace panel, its count) are an index walk over that
// district's flags instead of every case of the district. The database keeps it in step: the
// flag's (case, district) references the case's (id, district), so a flag naming another
// district than its case's cannot be written, and a case moved to another district carries its
// flags with it (on update cascade). Backfilled in one statement. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('dispute_flag').addColumn('district_id', 'integer').execute();
	await sql`update dispute_flag f set district_id = c.district_id from dispute_case c where c.id = f.case_id`.execute(db);
	await db.schema.alterTable('dispute_flag').alterColumn('district_id', (c) => c.setNotNull()).execute();
	await db.schema.createIndex('dispute_case_id_district').on('dispute_case').columns(['id', 'district_id']).unique().execute();
	await sql`alter table dispute_flag add constraint dispute_flag_case_district
		foreign key (case_id, district_id) references dispute_case (id, district_id) on update cascade on delete cascade`.execute(db);
	await db.schema.createIndex('dispute_flag_district').on('dispute_flag').columns(['district_id', 'case_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('dispute_flag_district').ifExists().execute();
	await sql`alter table dispute_flag drop constraint if exists dispute_flag_case_district`.execute(db);
	await db.schema.dropIndex('dispute_case_id_district').ifExists().execute();
	await db.schema.alterTable('dispute_flag').dropColumn('district_id').execute();
}
