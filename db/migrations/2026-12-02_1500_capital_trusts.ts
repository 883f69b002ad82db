import { sql, type Kysely } from 'kysely';

// Academy trusts: which trust an academy or free school belongs to, so a trust can apply for
// several of its schools at once (one draft application per school). A setting belongs to at most
// one trust; maintained schools, nurseries and colleges to none. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('academy_trust')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull().unique())
		// Companies House number, as the DfE's register of trusts keys them.
		.addColumn('company_number', 'text', (c) => c.unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.alterTable('setting').addColumn('trust_id', 'integer', (c) => c.references('academy_trust.id')).execute();
	// A trust's schools, by name, for the multi-school application's list.
	await sql`create index setting_trust on setting (trust_id, name) where trust_id is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists setting_trust`.execute(db);
	await db.schema.alterTable('setting').dropColumn('trust_id').execute();
	await db.schema.dropTable('academy_trust').execute();
}
