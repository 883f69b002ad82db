import { sql, type Kysely } from 'kysely';

// People search and pickers that do not grow with the country. Searching a name or email for
// "%text%" reads every row without a trigram index; the people list walks (lower(name), id) in
// order, a page at a time; the mail log and each person's notifications are read newest first, a
// page at a time; the setting and cluster pickers search names and towns. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create extension if not exists pg_trgm`.execute(db);
	// ILIKE uses a trigram index on the column itself: no lower() needed.
	await sql`create index app_user_name_trgm on app_user using gin (name gin_trgm_ops)`.execute(db);
	await sql`create index app_user_email_trgm on app_user using gin (email gin_trgm_ops)`.execute(db);
	// One or two characters have no trigram: they match the start of a name or email instead.
	await sql`create index app_user_name_prefix on app_user (lower(name) text_pattern_ops)`.execute(db);
	await sql`create index app_user_email_prefix on app_user (lower(email) text_pattern_ops)`.execute(db);
	await sql`create index app_user_name_order on app_user (lower(name), id)`.execute(db);
	await sql`create index setting_name_trgm on setting using gin (name gin_trgm_ops)`.execute(db);
	await sql`create index setting_town_trgm on setting using gin (town gin_trgm_ops)`.execute(db);
	await sql`create index setting_name_prefix on setting (lower(name) text_pattern_ops)`.execute(db);
	// A search matching thousands ("primary") walks the names in order and stops at a screenful.
	await sql`create index setting_name_order on setting (name, id)`.execute(db);
	await sql`create index cluster_name_trgm on cluster using gin (name gin_trgm_ops)`.execute(db);
	await sql`create index cluster_name_prefix on cluster (lower(name) text_pattern_ops)`.execute(db);
	// A district's localities (the bid partner picker searches a district's settings through them).
	await sql`create index cluster_by_parent on cluster (parent_id)`.execute(db);
	await sql`create index mail_outbox_newest on mail_outbox (created_at, id)`.execute(db);
	await sql`create index notification_user_newest on notification (user_id, created_at, id)`.execute(db);
	await sql`create index invitation_waiting on invitation (created_at, id) where used_at is null and revoked_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of [
		'invitation_waiting',
		'notification_user_newest',
		'mail_outbox_newest',
		'cluster_by_parent',
		'cluster_name_prefix',
		'cluster_name_trgm',
		'setting_name_order',
		'setting_name_prefix',
		'setting_town_trgm',
		'setting_name_trgm',
		'app_user_name_order',
		'app_user_email_prefix',
		'app_user_name_prefix',
		'app_user_email_trgm',
		'app_user_name_trgm'
	]) {
		await db.schema.dropIndex(index).ifExists().execute();
	}
}
