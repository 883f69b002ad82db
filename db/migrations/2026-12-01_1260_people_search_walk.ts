import { sql, type Kysely } from 'kysely';

// A broad people search ("staff", matching most of England's people) walks the people in name
// order and keeps those who match. This index carries what that walk tests (name, email, status and
// county role) beside the order, so the walk reads the index alone, not each person's row.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index app_user_name_walk on app_user (lower(name), id) include (name, email, is_active, county_role)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('app_user_name_walk').ifExists().execute();
}
