import { sql, type Kysely } from 'kysely';

// Consultations close themselves: a scheduled job closes each open consultation once its closing
// date has passed, with nobody's name on it (the timeline says "the portal" and when). Such a
// closing is marked, so the page can say it closed on its date rather than by a person. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_consultation').addColumn('closed_automatically', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_closed').execute();
	// Closed exactly when it has a closing time; by a person, or by the portal on its closing date (never both).
	await db.schema
		.alterTable('pcf_consultation')
		.addCheckConstraint(
			'pcf_consultation_closed',
			sql`(status = 'closed') = (closed_at is not null) and (closed_at is not null or closed_by is null) and (not closed_automatically or (closed_at is not null and closed_by is null)) and (closed_at is null or closed_by is not null or closed_automatically)`
		)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_closed').execute();
	await db.schema.alterTable('pcf_consultation').dropColumn('closed_automatically').execute();
	await db.schema
		.alterTable('pcf_consultation')
		.addCheckConstraint('pcf_consultation_closed', sql`(status = 'closed') = (closed_at is not null) and (closed_at is null) = (closed_by is null)`)
		.execute();
}
