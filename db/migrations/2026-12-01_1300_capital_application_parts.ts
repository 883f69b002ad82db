import { sql, type Kysely } from 'kysely';

// The applicant's side of an inclusion-base application, beside the core (1100): the frozen
// version each submission signed off, the signatures a setting's type asks for, evidence files
// kept in PostgreSQL (with each download logged), the points an officer asks more information
// on, and the district need figures officers maintain and applicants are shown. Frozen once landed.

// The setting type's signatories, and a voluntary-aided school's landowner or diocese (its consent).
const CAPACITIES = ['headteacher', 'governing_body', 'trust', 'principal', 'owner_manager', 'childminder', 'landowner'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('capital_application_submission')
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id').onDelete('cascade'))
		.addColumn('submission_no', 'integer', (c) => c.notNull())
		.addColumn('submitted_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('snapshot', 'jsonb', (c) => c.notNull())
		.addColumn('snapshot_hash', 'text')
		.addPrimaryKeyConstraint('capital_application_submission_pk', ['application_id', 'submission_no'])
		.execute();

	// A signature is for the version of the application signed: a later save asks for it again.
	await db.schema
		.createTable('capital_application_signature')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id').onDelete('cascade'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('capacity', 'text', (c) => c.notNull().check(sql`capacity in (${inList(CAPACITIES)})`))
		.addColumn('signed_by', 'integer', (c) => c.notNull().references('app_user.id'))
		// A governing body or trust is not a portal user: the headteacher records who signed for it.
		.addColumn('signed_for_name', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('application_version', 'integer', (c) => c.notNull())
		.addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('capital_application_signature_once')
		.on('capital_application_signature')
		.columns(['application_id', 'setting_id', 'capacity', 'application_version'])
		.unique()
		.execute();

	await db.schema
		.createTable('capital_application_file')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
		.addColumn('media_type', 'text', (c) => c.notNull())
		.addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
		.addColumn('sensitive', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('content', 'bytea', (c) => c.notNull())
		.addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_application_file_by_application').on('capital_application_file').columns(['application_id', 'id']).execute();

	await db.schema
		.createTable('capital_file_download')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('file_id', 'integer', (c) => c.notNull().references('capital_application_file.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('downloaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_file_download_by_file').on('capital_file_download').columns(['file_id', 'id']).execute();

	await db.schema
		.createTable('capital_district_need')
		.addColumn('district_id', 'integer', (c) => c.primaryKey().references('cluster.id'))
		.addColumn('forecast_demand', 'integer', (c) => c.notNull().defaultTo(0).check(sql`forecast_demand >= 0`))
		.addColumn('planned_places', 'integer', (c) => c.notNull().defaultTo(0).check(sql`planned_places >= 0`))
		.addColumn('out_of_area', 'integer', (c) => c.notNull().defaultTo(0).check(sql`out_of_area >= 0`))
		.addColumn('independent', 'integer', (c) => c.notNull().defaultTo(0).check(sql`independent >= 0`))
		// Pupils with an EHC plan by primary need ({ "asd": 310, "semh": 180 }): counts, never children.
		.addColumn('need_mix', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('as_of', 'date')
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['capital_district_need', 'capital_file_download', 'capital_application_file', 'capital_application_signature', 'capital_application_submission']) {
		await db.schema.dropTable(table).execute();
	}
}
