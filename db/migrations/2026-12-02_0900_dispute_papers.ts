import { sql, type Kysely } from 'kysely';

// Positions and papers for district dispute-resolution cases: each party's position statement (the
// family's, the setting's), recorded by the SENDIASS officer as the party gave it, with the redacted
// text the officer prepares and a version for optimistic concurrency; and papers (small files kept
// in PostgreSQL, their type read from their bytes). Nothing is shared with the other side or the
// panel until both parties agreed to take part and an officer marked it redacted and shared.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dispute_statement')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('party', 'text', (c) => c.notNull().check(sql`party in ('family', 'setting')`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('party_text', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('redacted_text', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('shared_at', 'timestamptz')
		.addColumn('shared_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('dispute_statement_one_per_party', ['case_id', 'party'])
		.execute();

	await db.schema
		.createTable('dispute_paper')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('case_id', 'integer', (c) => c.notNull().references('dispute_case.id').onDelete('cascade'))
		.addColumn('party', 'text', (c) => c.notNull().check(sql`party in ('family', 'setting')`))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
		.addColumn('media_type', 'text', (c) => c.notNull())
		.addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('content', 'bytea', (c) => c.notNull())
		.addColumn('redacted', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('shared_at', 'timestamptz')
		.addColumn('shared_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('uploaded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// Shared means an officer checked the third parties are redacted first.
		.addCheckConstraint('dispute_paper_shared_redacted', sql`shared_at is null or redacted`)
		.execute();
	await db.schema.createIndex('dispute_paper_case').on('dispute_paper').columns(['case_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['dispute_paper', 'dispute_statement']) await db.schema.dropTable(table).execute();
}
