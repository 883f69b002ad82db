import { sql, type Kysely } from 'kysely';

// Indexes for the cluster-side lists and feeds, so none of them reads a whole table on an
// England-sized data set (about 920 clusters, 25,000 settings, a million activity and audit rows):
// - `cluster_parent`: a district's localities (the feed, the grouped setting counts, the members);
// - `cluster_list`: county set-up and /clusters page through districts by name;
// - `activity_cluster_time`: the feed walks each cluster's newest activity by time (as it is shown);
// - `audit_log_detail`: history "naming this cluster" is JSON containment (`detail @> …`), which a
//   GIN index with `jsonb_path_ops` serves.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('cluster_parent').on('cluster').columns(['parent_id', 'id']).execute();
	await sql`create index cluster_list on cluster (kind, lower(name), id)`.execute(db);
	await sql`create index activity_cluster_time on activity (cluster_id, created_at desc, id desc)`.execute(db);
	await sql`create index audit_log_detail on audit_log using gin (detail jsonb_path_ops)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of ['audit_log_detail', 'activity_cluster_time', 'cluster_list', 'cluster_parent']) {
		await db.schema.dropIndex(index).execute();
	}
}
