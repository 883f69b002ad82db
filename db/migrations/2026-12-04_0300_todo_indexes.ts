import { type Kysely } from 'kysely';

// Indexes for the home page's to-do list, which runs for everyone on every sign-in, so none of
// its queries reads the bids of the whole country:
// - `bid_lead_setting` and `bid_partner_setting`: the bids a person's settings wrote (as lead or
//   partner), for their drafts to finish and the milestones of their funded bids.
// - `bid_status`: the bids waiting for an officer's decision and how many there are (a small
//   share of all bids, found without reading the rest).
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('bid_lead_setting').on('bid').columns(['lead_setting_id', 'status']).execute();
	await db.schema.createIndex('bid_partner_setting').on('bid_partner').columns(['setting_id', 'bid_id']).execute();
	await db.schema.createIndex('bid_status').on('bid').columns(['status', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of ['bid_status', 'bid_partner_setting', 'bid_lead_setting']) {
		await db.schema.dropIndex(index).ifExists().execute();
	}
}
