import { sql, type Kysely } from 'kysely';

// When a capital application was withdrawn or declined, kept on the application: the retention of
// its evidence files counts from it, and `updated_at` (moved by any later write) no longer stands
// in for it. Set by the withdraw and decline commands (neither stage has a way out); backfilled
// from the timeline entry of the withdrawal or the decline, or `updated_at` where none is kept.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('capital_application').addColumn('closed_at', 'timestamptz').execute();
	await sql`update capital_application a set closed_at = coalesce((
			select max(l.created_at) from audit_log l
			where l.subject_type = 'capital_application' and l.subject_id = a.id and l.action in ('capital.application_withdrawn', 'capital.decision.decline')
		), a.updated_at)
		where a.stage in ('withdrawn', 'declined')`.execute(db);
	// The retention job's walk: closed applications by when they closed.
	await sql`create index capital_application_closed on capital_application (closed_at) where closed_at is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists capital_application_closed`.execute(db);
	await db.schema.alterTable('capital_application').dropColumn('closed_at').execute();
}
