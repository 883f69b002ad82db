import { sql, type Kysely } from 'kysely';

// The stages a dispute case moves through after referral, shared by the panel (poll, booking)
// and the outcome (agreement, follow-up, retention) parts, so neither has to widen the check
// alone: referred (waiting for both parties' agreement) -> scheduling (poll open) -> booked ->
// met -> outcome (written outcome recorded, follow-up open) -> closed; withdrawn from any stage
// before closed; routed_out at triage. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table dispute_case drop constraint if exists dispute_case_status_check`.execute(db);
	await sql`alter table dispute_case add constraint dispute_case_status_check
		check (status in ('referred', 'routed_out', 'scheduling', 'booked', 'met', 'outcome', 'closed', 'withdrawn'))`.execute(db);
	await db.schema.alterTable('dispute_case').addColumn('status_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)).execute();
	await db.schema.createIndex('dispute_case_district_status').on('dispute_case').columns(['district_id', 'status', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('dispute_case_district_status').execute();
	await db.schema.alterTable('dispute_case').dropColumn('status_changed_at').execute();
	await sql`alter table dispute_case drop constraint if exists dispute_case_status_check`.execute(db);
	await sql`alter table dispute_case add constraint dispute_case_status_check check (status in ('referred', 'routed_out'))`.execute(db);
}
