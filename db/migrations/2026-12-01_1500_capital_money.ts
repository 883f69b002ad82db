import { sql, type Kysely } from 'kysely';

// Inclusion-base capital, the money: what an approved application is funded from (commitments
// against a confirmed source, by financial year; plans against any source, kept apart), money
// moved between lines (proposed by one officer, approved or turned down by another), what was
// spent, the places occupied each term once a base is open, and the public note per line on how
// parents and the PCF were involved. Money is whole pence. Frozen once landed.
//
// Over-commitment is refused under the locks the commands take (the source row, then the line
// row, always in that order), not by a constraint: the sums span many rows.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('capital_commitment')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('source_id', 'integer', (c) => c.notNull().references('capital_source.id'))
		// The application's line when it was committed: the line's allocation is what it counts against.
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		// The financial year by the year it starts (2026 is 2026/27), as the source's profile keys it.
		.addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence > 0`))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('planned', 'committed')`))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	// The sums each commitment checks: a source's year, a line, an application; and the dashboard's groupings.
	await db.schema.createIndex('capital_commitment_source_year').on('capital_commitment').columns(['source_id', 'year', 'kind']).execute();
	// Covering: the dashboard sums by line, source and year from the index alone.
	await sql`create index capital_commitment_line on capital_commitment (line_id, kind, year) include (source_id, amount_pence)`.execute(db);
	await db.schema.createIndex('capital_commitment_application').on('capital_commitment').columns(['application_id', 'id']).execute();

	await db.schema
		.createTable('capital_allocation_transfer')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('from_line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addColumn('to_line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence > 0`))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`status in ('proposed', 'approved', 'rejected')`))
		.addColumn('proposed_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decision_reason', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addCheckConstraint('capital_transfer_two_lines', sql`from_line_id <> to_line_id`)
		// Nobody approves their own proposal: the policy refuses it, and this holds whatever writes.
		.addCheckConstraint('capital_transfer_four_eyes', sql`decided_by is null or decided_by <> proposed_by`)
		.addCheckConstraint('capital_transfer_decided', sql`(status = 'proposed') = (decided_by is null)`)
		.execute();
	await db.schema.createIndex('capital_transfer_status').on('capital_allocation_transfer').columns(['status', 'id']).execute();

	await db.schema
		.createTable('capital_spend')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence > 0`))
		.addColumn('spent_on', 'date', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('recorded_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_spend_application').on('capital_spend').columns(['application_id', 'id']).execute();
	await sql`create index capital_spend_line on capital_spend (line_id, spent_on) include (amount_pence)`.execute(db);

	await db.schema
		.createTable('capital_occupancy')
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		// A school term: its academic year by the year it starts, and which term.
		.addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
		.addColumn('term', 'text', (c) => c.notNull().check(sql`term in ('autumn', 'spring', 'summer')`))
		.addColumn('occupied', 'integer', (c) => c.notNull().check(sql`occupied >= 0`))
		.addColumn('recorded_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('capital_occupancy_pk', ['application_id', 'year', 'term'])
		.execute();

	// The sufficiency dashboard counts places by stage, district and line from this index alone.
	await sql`create index capital_application_pipeline on capital_application (stage, district_id, line_id) include (places, opening_year)`.execute(db);

	await db.schema
		.createTable('capital_public_note')
		.addColumn('line_id', 'integer', (c) => c.primaryKey().references('capital_line.id'))
		.addColumn('parents_involved', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists capital_application_pipeline`.execute(db);
	for (const table of ['capital_public_note', 'capital_occupancy', 'capital_spend', 'capital_allocation_transfer', 'capital_commitment']) {
		await db.schema.dropTable(table).execute();
	}
}
