import { type Kysely } from 'kysely';

// Indexes for the newest lists, so none reads a whole table on an England-sized data set:
// - `dispute_poll_link_user`: "the polls I was asked to answer" finds a person's links; the
//   primary key starts with the poll, so without this the whole key was read for each person.
// - `pcf_consultation_owner`: a person's consultations include the ones they opened, beside
//   their district's and workspaces' (each of those already has an index).
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('dispute_poll_link_user').on('dispute_poll_link').columns(['user_id', 'poll_id']).execute();
	await db.schema.createIndex('pcf_consultation_owner').on('pcf_consultation').columns(['owner_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of ['pcf_consultation_owner', 'dispute_poll_link_user']) {
		await db.schema.dropIndex(index).ifExists().execute();
	}
}
