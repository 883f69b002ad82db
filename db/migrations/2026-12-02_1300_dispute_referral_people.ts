import { sql, type Kysely } from 'kysely';

// Who brings a referral and what they need to take part: the family (through a SENDIASS officer),
// a young person over compulsory school age in their own right, or the setting with the family's
// agreement; whether a supporter or advocate comes (their role, not their name), an interpreter's
// language and reasonable adjustments. Still no contact details: SENDIASS keeps those in its own
// records and the portal never writes to a family. The daily job clears the notes when it
// anonymises a closed case. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('dispute_case')
		.addColumn('referrer', 'text', (c) => c.notNull().defaultTo('family').check(sql`referrer in ('family', 'young_person', 'setting')`))
		.addColumn('supporter', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('interpreter', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('adjustments', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('dispute_case')
		.dropColumn('referrer')
		.dropColumn('supporter')
		.dropColumn('interpreter')
		.dropColumn('adjustments')
		.execute();
}
