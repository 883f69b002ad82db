import { sql, type QueryCreator } from 'kysely';
import type { Database, DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { notFound } from '../errors';
import { cachedRead } from './cache';
import { keysetPage, type Cursor, type KeyKind } from '../paging';
import { CLUSTER_WITH_PARENT, clustersWithParent } from '../clusters/tree';
import type { ClusterKind } from '$lib/roles';

export interface ClusterSummary {
	id: number;
	name: string;
	kind: ClusterKind;
	status: string;
	parentId: number | null;
	parentName: string | null;
	version: number;
	settingCount: number;
}

// A cluster holds settings directly (a locality) or through its localities (a district).

/**
 * The settings in a cluster, as `s`, joined to their locality as `l`: a locality's own, a
 * district's in all its localities. The cluster ids come first (the cluster's primary key and
 * `cluster_parent`), then the settings by `setting_cluster`, so no table is read end to end.
 */
export function settingsIn(db: Pick<QueryCreator<DB>, 'selectFrom'>, clusterId: number) {
	return db
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.where('s.cluster_id', 'in', clusterAndLocalities(db, clusterId));
}

/** The ids of a cluster and (for a district) its localities, retired ones included. */
export function clusterAndLocalities(db: Pick<QueryCreator<DB>, 'selectFrom'>, clusterId: number) {
	return db
		.selectFrom('cluster as tree')
		.select('tree.id')
		.where((eb) => eb.or([eb('tree.id', '=', clusterId), eb('tree.parent_id', '=', clusterId)]));
}

/**
 * How many settings each of these clusters holds (a district: in all its localities), from one
 * grouped query that reads only their settings, instead of a count run once per cluster.
 * A cluster with none is missing from the query's answer and counts 0 here.
 */
export async function settingCounts(db: Pick<QueryCreator<DB>, 'selectFrom'>, clusterIds: readonly number[]): Promise<Map<number, number>> {
	const counts = new Map<number, number>(clusterIds.map((id) => [id, 0]));
	if (clusterIds.length === 0) return counts;
	const ids = [...new Set(clusterIds)];
	const rows = await db
		.selectFrom('setting as s')
		.select(['s.cluster_id as cluster_id', (eb) => eb.fn.countAll<string>().as('n')])
		.where('s.cluster_id', 'in', ids)
		.groupBy('s.cluster_id')
		.unionAll(
			db
				.selectFrom('setting as s')
				.innerJoin('cluster as l', 'l.id', 's.cluster_id')
				.select([sql<number>`l.parent_id`.as('cluster_id'), (eb) => eb.fn.countAll<string>().as('n')])
				.where('l.parent_id', 'in', ids)
				.groupBy('l.parent_id')
		)
		.execute();
	for (const row of rows) counts.set(row.cluster_id, (counts.get(row.cluster_id) ?? 0) + Number(row.n));
	return counts;
}

/** Rows with `setting_count` added from `settingCounts`. */
export async function withSettingCounts<T extends { id: number }>(db: Pick<QueryCreator<DB>, 'selectFrom'>, rows: T[]): Promise<(T & { setting_count: number })[]> {
	const counts = await settingCounts(db, rows.map((row) => row.id));
	return rows.map((row) => ({ ...row, setting_count: counts.get(row.id) ?? 0 }));
}

/** A workspace's cluster, with what the policy needs to say who may open its funding rounds. */
export interface WorkspaceCluster extends ClusterSummary {
	leadsMayOpenRounds: boolean;
}

/** Loads a cluster and checks the person may open its workspace (404 before 403). */
export async function workspaceCluster(db: Database, actor: Actor | null, clusterId: number): Promise<WorkspaceCluster> {
	const cluster = await cachedRead(db, `cluster:${clusterId}`, () => clusterRow(db, clusterId));
	if (!cluster) throw notFound('That cluster');
	// Never cached: who may see it is decided on every request.
	assertCan(actor, { action: 'workspace.view', cluster });
	return {
		id: cluster.id,
		name: cluster.name,
		kind: cluster.kind,
		status: cluster.status,
		parentId: cluster.parent_id,
		parentName: cluster.parent_name,
		version: cluster.version,
		settingCount: Number(cluster.setting_count ?? 0),
		leadsMayOpenRounds: cluster.leads_may_open_rounds
	};
}

async function clusterRow(db: Database, clusterId: number) {
	const row = await clustersWithParent(db).select([...CLUSTER_WITH_PARENT, 'c.leads_may_open_rounds']).where('c.id', '=', clusterId).executeTakeFirst();
	return row && (await withSettingCounts(db, [row]))[0];
}

/** The localities under a district, or nothing for a locality. */
export function childClusters(db: Database, clusterId: number) {
	return cachedRead(db, `localities:${clusterId}`, () => childClusterRows(db, clusterId));
}
async function childClusterRows(db: Database, clusterId: number) {
	const rows = await db
		.selectFrom('cluster as c')
		.select(['c.id', 'c.name'])
		.where('c.parent_id', '=', clusterId)
		.where('c.status', '=', 'active')
		.orderBy('c.name')
		.execute();
	return withSettingCounts(db, rows);
}

export const ACTIVITY_PAGE = 20;

/** The feed: this cluster's activity and, for a district, its localities'. Newest first. */
export function workspaceActivity(db: Database, clusterId: number, before?: number) {
	// The first page is what everyone opens; older pages are read as asked.
	if (before) return activityRows(db, clusterId, before);
	return cachedRead(db, `activity:${clusterId}`, () => activityRows(db, clusterId));
}

/**
 * The newest entries of each cluster in the workspace (one index walk per cluster, on
 * `activity_cluster_time`, each stopping after a page), merged by time. A district has a handful
 * of localities, so this reads a few pages of rows however large the activity table grows.
 */
async function activityRows(db: Database, clusterId: number, before?: number) {
	const rows = await db
		.selectFrom('cluster as c')
		.innerJoinLateral(
			(eb) => {
				let newest = eb
					.selectFrom('activity as a')
					.select(['a.id', 'a.verb', 'a.summary', 'a.link', 'a.created_at', 'a.actor_id', 'a.cluster_id'])
					.whereRef('a.cluster_id', '=', 'c.id')
					// By when it happened; the id only breaks ties (imported or back-dated entries have older times).
					.orderBy('a.created_at', 'desc')
					.orderBy('a.id', 'desc')
					.limit(ACTIVITY_PAGE);
				// Keyset on (time, id): the page after the entry `before`, whatever its id.
				if (before) {
					newest = newest.where(sql<boolean>`(a.created_at, a.id) < (select cursor.created_at, cursor.id from activity cursor where cursor.id = ${before})`);
				}
				return newest.as('a');
			},
			(join) => join.onTrue()
		)
		.leftJoin('app_user as u', 'u.id', 'a.actor_id')
		.select(['a.id', 'a.verb', 'a.summary', 'a.link', 'a.created_at', 'u.name as actor_name', 'a.cluster_id', 'c.name as cluster_name', 'c.kind as cluster_kind'])
		.where((eb) => eb.or([eb('c.id', '=', clusterId), eb('c.parent_id', '=', clusterId)]))
		.orderBy('a.created_at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(ACTIVITY_PAGE)
		.execute();
	return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
}

/**
 * The feed as this reader may follow it: an item from a cluster whose workspace the policy does not
 * let them open (a district's feed shows every locality's news) keeps its words but loses its
 * link, so nobody is sent to a refusal. The shared cached read stays the same for everyone.
 */
export function feedForReader<T extends { link: string | null; cluster_id: number; cluster_name: string; cluster_kind: string }>(actor: Actor, items: T[]): T[] {
	return items.map((item) =>
		item.link && !can(actor, { action: 'workspace.view', cluster: { id: item.cluster_id, name: item.cluster_name, kind: item.cluster_kind } }).allowed
			? { ...item, link: null }
			: item
	);
}

/** Locality clusters as this reader may open them: `canOpen` false shows the name and size as plain text. */
export function localitiesForReader<T extends { id: number; name: string }>(actor: Actor, localities: T[]): (T & { canOpen: boolean })[] {
	return localities.map((locality) => ({
		...locality,
		canOpen: can(actor, { action: 'workspace.view', cluster: { id: locality.id, name: locality.name, kind: 'locality' } }).allowed
	}));
}

/**
 * The clusters on a person's home page: the ones they belong to, under their districts (a
 * handful). Whoever may see the whole county gets its first page of active districts instead, and
 * `more` when there are others (the clusters page has them all, a page at a time), so the home page
 * and the live rooms it joins stay the same size however many districts the portal serves.
 */
export async function clustersFor(db: Database, actor: Actor): Promise<{ clusters: HomeCluster[]; more: boolean }> {
	if (can(actor, { action: 'county.view' }).allowed) {
		const page = await districtPage(db, { activeOnly: true, cursor: null });
		return { clusters: page.items.map((d) => ({ id: d.id, name: d.name, kind: d.kind, parent_id: d.parent_id, parent_name: null })), more: page.next !== null };
	}
	if (actor.clusterIds.length === 0) return { clusters: [], more: false };
	const clusters = await clustersWithParent(db)
		.select(['c.id', 'c.name', 'c.kind', 'c.parent_id', 'p.name as parent_name'])
		.where('c.status', '=', 'active')
		.where('c.id', 'in', actor.clusterIds)
		.orderBy(sql`coalesce(p.name, c.name)`)
		.orderBy('c.kind')
		.orderBy('c.name')
		.execute();
	return { clusters, more: false };
}

export interface HomeCluster {
	id: number;
	name: string;
	kind: ClusterKind;
	parent_id: number | null;
	parent_name: string | null;
}

/**
 * The clusters page. Officers page through the active districts by name, each with its active
 * localities; anyone else sees the clusters they belong to (a handful), under their districts.
 */
export async function clusterDirectory(db: Database, actor: Actor, cursor: Cursor | null) {
	const everyDistrict = can(actor, { action: 'county.view' }).allowed;
	if (!everyDistrict && actor.clusterIds.length === 0) return { districts: [], orphanLocalities: [], next: null, previous: null };
	const page = everyDistrict
		? await districtPage(db, { activeOnly: true, cursor })
		: { items: await directoryRows(db).where('c.kind', '=', 'district').where('c.id', 'in', actor.clusterIds).orderBy(sql`lower(c.name)`).orderBy('c.id').execute(), next: null, previous: null };
	const districtIds = page.items.map((d) => d.id);
	let localities = directoryRows(db).where('c.kind', '=', 'locality');
	localities = everyDistrict
		? localities.where('c.parent_id', 'in', districtIds.length ? districtIds : [0])
		: localities.where('c.id', 'in', actor.clusterIds);
	const counted = await withSettingCounts(db, [...page.items, ...(await localities.orderBy('c.name').orderBy('c.id').execute())]);
	const districts = counted
		.filter((c) => c.kind === 'district')
		.map((d) => ({ ...d, localities: counted.filter((l) => l.kind === 'locality' && l.parent_id === d.id) }));
	// A member of a locality alone still sees it, under its district's name.
	const orphanLocalities = counted.filter((l) => l.kind === 'locality' && !districts.some((d) => d.id === l.parent_id));
	return { districts, orphanLocalities, next: page.next, previous: page.previous };
}

function directoryRows(db: Database) {
	return db.selectFrom('cluster as c').select(['c.id', 'c.name', 'c.kind', 'c.parent_id']).where('c.status', '=', 'active');
}

/** Cursor keys for pages of districts: lower-case name, then id. */
export const DISTRICT_KEY: KeyKind[] = ['text', 'int'];

/** One page of districts by name (county set-up shows retired ones too; /clusters only active ones). */
export function districtPage(db: Database, options: { activeOnly: boolean; cursor: Cursor | null }) {
	let query = db
		.selectFrom('cluster as c')
		.select(['c.id', 'c.name', 'c.kind', 'c.parent_id', 'c.status', 'c.version', sql<string>`lower(c.name)`.as('sort_name')])
		.where('c.kind', '=', 'district');
	if (options.activeOnly) query = query.where('c.status', '=', 'active');
	return keysetPage(query, {
		order: [sql`lower(c.name)`, sql`c.id`],
		direction: 'asc',
		keyOf: (row) => [row.sort_name, row.id],
		cursor: options.cursor
	});
}
