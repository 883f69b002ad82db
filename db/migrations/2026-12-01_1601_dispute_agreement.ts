import type { Kysely } from 'kysely';

// Both parties' agreement to take part in a panel, recorded by the SENDIASS officer before
// anything is shared with the other party. Agreement is not the lawful basis (that is the
// council's public task): it is recorded because disagreement resolution is voluntary. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('dispute_case')
		.addColumn('family_agreed_at', 'timestamptz')
		.addColumn('setting_agreed_at', 'timestamptz')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('dispute_case').dropColumn('family_agreed_at').dropColumn('setting_agreed_at').execute();
}
