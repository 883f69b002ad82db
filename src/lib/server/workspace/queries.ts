import { sql, type Expression, type QueryCreator } from 'kysely';
import type { Database, DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { notFound } from '../errors';
import { cachedRead } from './cache';
import { CLUSTER_WITH_PARENT, clustersWithParent } from '../clusters/tree';
import type { ClusterKind, ClusterRoleName, SettingRoleName } from '$lib/roles';

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
 * district's in all its localities. `clusterId` is an id, or a reference to an outer query's cluster.
 */
export function settingsIn(db: Pick<QueryCreator<DB>, 'selectFrom'>, clusterId: number | Expression<number>) {
	return db
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.where((eb) => eb.or([eb('s.cluster_id', '=', clusterId), eb('l.parent_id', '=', clusterId)]));
}

/** For a query over `cluster as c`: how many settings each cluster holds, as `setting_count`. */
export function settingCount(db: Pick<QueryCreator<DB>, 'selectFrom'>) {
	return settingsIn(db, sql.ref<number>('c.id'))
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.as('setting_count');
}

/** Loads a cluster and checks the person may open its workspace (404 before 403). */
export async function workspaceCluster(db: Database, actor: Actor | null, clusterId: number): Promise<ClusterSummary> {
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
		settingCount: Number(cluster.setting_count ?? 0)
	};
}

function clusterRow(db: Database, clusterId: number) {
	return clustersWithParent(db)
		.select([...CLUSTER_WITH_PARENT, settingCount(db)])
		.where('c.id', '=', clusterId)
		.executeTakeFirst();
}

/** The localities under a district, or nothing for a locality. */
export function childClusters(db: Database, clusterId: number) {
	return cachedRead(db, `localities:${clusterId}`, () => childClusterRows(db, clusterId));
}
function childClusterRows(db: Database, clusterId: number) {
	return db
		.selectFrom('cluster as c')
		.select(['c.id', 'c.name', settingCount(db)])
		.where('c.parent_id', '=', clusterId)
		.where('c.status', '=', 'active')
		.orderBy('c.name')
		.execute();
}

/** Settings in the cluster (for a district: in all its localities). */
export function workspaceSettings(db: Database, clusterId: number) {
	return cachedRead(db, `settings:${clusterId}`, () => settingRows(db, clusterId));
}
function settingRows(db: Database, clusterId: number) {
	return settingsIn(db, clusterId)
		.select(['s.id', 's.name', 's.urn', 's.phase', 's.setting_type', 's.town', 's.pupil_count', 'l.id as cluster_id', 'l.name as cluster_name'])
		.orderBy('s.name')
		.execute();
}

export interface WorkspaceMember {
	userId: number;
	name: string;
	roles: { role: SettingRoleName | ClusterRoleName; where: string }[];
}

/** People in the workspace: staff of its settings and holders of roles on it (or on its district). */
export function workspaceMembers(db: Database, cluster: { id: number; parentId: number | null }): Promise<WorkspaceMember[]> {
	return cachedRead(db, `members:${cluster.id}`, () => memberRows(db, cluster));
}
async function memberRows(db: Database, cluster: { id: number; parentId: number | null }): Promise<WorkspaceMember[]> {
	const settingPeople = await settingsIn(db, cluster.id)
		.innerJoin('setting_membership as m', 'm.setting_id', 's.id')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select(['u.id', 'u.name', 'm.role', 's.name as where'])
		.where('u.is_active', '=', true)
		.execute();
	const relatedClusters = [cluster.id, ...(cluster.parentId ? [cluster.parentId] : [])];
	const rolePeople = await db
		.selectFrom('cluster_role as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['u.id', 'u.name', 'r.role', 'c.name as where'])
		.where('u.is_active', '=', true)
		.where((eb) => eb.or([eb('r.cluster_id', 'in', relatedClusters), eb('c.parent_id', '=', cluster.id)]))
		.execute();
	const members = new Map<number, WorkspaceMember>();
	for (const row of [...rolePeople, ...settingPeople]) {
		const member = members.get(row.id) ?? { userId: row.id, name: row.name, roles: [] };
		member.roles.push({ role: row.role, where: row.where });
		members.set(row.id, member);
	}
	return [...members.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const ACTIVITY_PAGE = 20;

/** The feed: this cluster's activity and, for a district, its localities'. Newest first. */
export function workspaceActivity(db: Database, clusterId: number, before?: number) {
	// The first page is what everyone opens; older pages are read as asked.
	if (before) return activityRows(db, clusterId, before);
	return cachedRead(db, `activity:${clusterId}`, () => activityRows(db, clusterId));
}
async function activityRows(db: Database, clusterId: number, before?: number) {
	let query = db
		.selectFrom('activity as a')
		.innerJoin('cluster as c', 'c.id', 'a.cluster_id')
		.leftJoin('app_user as u', 'u.id', 'a.actor_id')
		.select(['a.id', 'a.verb', 'a.summary', 'a.link', 'a.created_at', 'u.name as actor_name', 'a.cluster_id', 'c.name as cluster_name', 'c.kind as cluster_kind'])
		.where((eb) => eb.or([eb('a.cluster_id', '=', clusterId), eb('c.parent_id', '=', clusterId)]))
		// By when it happened; the id only breaks ties (imported or back-dated entries have older times).
		.orderBy('a.created_at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(ACTIVITY_PAGE);
	// Keyset on (time, id): the page after the entry `before`, whatever its id.
	if (before) {
		query = query.where(sql<boolean>`(a.created_at, a.id) < (select cursor.created_at, cursor.id from activity cursor where cursor.id = ${before})`);
	}
	const rows = await query.execute();
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

/** The clusters a person belongs to, for the home page and the menu. Officers see every district. */
export async function clustersFor(db: Database, actor: Actor) {
	const base = clustersWithParent(db)
		.select(['c.id', 'c.name', 'c.kind', 'c.parent_id', 'p.name as parent_name'])
		.where('c.status', '=', 'active')
		.orderBy(sql`coalesce(p.name, c.name)`)
		.orderBy('c.kind')
		.orderBy('c.name');
	// Whoever may see the whole county starts from its districts.
	if (can(actor, { action: 'county.view' }).allowed) return base.where('c.kind', '=', 'district').execute();
	if (actor.clusterIds.length === 0) return [];
	return base.where('c.id', 'in', actor.clusterIds).execute();
}

/** The clusters page: every active district with its localities (officers), or the reader's own clusters. */
export async function clusterDirectory(db: Database, actor: Actor) {
	let query = db
		.selectFrom('cluster as c')
		.select(['c.id', 'c.name', 'c.kind', 'c.parent_id', settingCount(db)])
		.where('c.status', '=', 'active')
		.orderBy('c.name');
	if (!can(actor, { action: 'county.view' }).allowed) {
		if (actor.clusterIds.length === 0) return { districts: [], orphanLocalities: [] };
		query = query.where('c.id', 'in', actor.clusterIds);
	}
	const clusters = await query.execute();
	const districts = clusters
		.filter((c) => c.kind === 'district')
		.map((d) => ({ ...d, localities: clusters.filter((l) => l.parent_id === d.id) }));
	// A member of a locality alone still sees it, under its district's name.
	const orphanLocalities = clusters.filter((l) => l.kind === 'locality' && !districts.some((d) => d.id === l.parent_id));
	return { districts, orphanLocalities };
}
