import { sql, type Kysely } from 'kysely';

// Two reads that walked a whole table to find a few rows (found on the England-sized set and by
// the plan tests once they also caught whole-index bitmap walks). Frozen once landed.
// - `app_user_county_staff`: completing a bid's endorsement tells every council officer; with
//   100,000 people, a few hundred of them officers, that read walked the whole of app_user (36-55
//   ms, inside the endorsing transaction). Partial: only people with a county role are in it.
// - `dispute_case_setting` and `dispute_action_setting_open`: a school's staff see on their home
//   page the open actions agreed at a panel for their setting, found from the setting's cases
//   rather than by walking every open action in the country.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index app_user_county_staff on app_user (county_role, id) where county_role is not null`.execute(db);
	await db.schema.createIndex('dispute_case_setting').on('dispute_case').columns(['setting_id', 'id']).execute();
	await sql`create index dispute_action_setting_open on dispute_action (case_id, id) where owner_kind = 'setting' and done_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of ['dispute_action_setting_open', 'dispute_case_setting', 'app_user_county_staff']) {
		await db.schema.dropIndex(index).ifExists().execute();
	}
}
