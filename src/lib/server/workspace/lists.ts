import { sql } from 'kysely';
import type { Database } from '../db';
import type { ClusterRoleName, SettingRoleName } from '$lib/roles';
import { cachedRead } from './cache';
import { keysetPage, type Cursor, type KeyKind, type KeysetPage } from '../paging';
import { settingsIn } from './queries';

// The workspace's two long lists, a page at a time: a district in a large authority has hundreds
// of settings and over a thousand people. The first page is what everyone opens, so it is the
// cached one; later pages are read as asked (each one index walk from the cursor).

/** Cursor keys: settings and people are both in order of name, then id. */
export const SETTING_KEY: KeyKind[] = ['text', 'int'];
export const MEMBER_KEY: KeyKind[] = ['text', 'int'];

export interface WorkspaceSetting {
	id: number;
	name: string;
	urn: string;
	phase: string;
	setting_type: string;
	town: string;
	pupil_count: number;
	cluster_id: number;
	cluster_name: string;
}

export interface WorkspaceSettings extends KeysetPage<WorkspaceSetting> {
	/** How many settings of each phase the whole cluster has (not only this page). */
	phases: { phase: string; count: number }[];
}

/** Settings in the cluster (for a district: in all its localities), by name, a page at a time. */
export function workspaceSettings(db: Database, clusterId: number, cursor: Cursor | null = null): Promise<WorkspaceSettings> {
	if (cursor) return settingRows(db, clusterId, cursor);
	return cachedRead(db, `settings:${clusterId}`, () => settingRows(db, clusterId, null));
}
async function settingRows(db: Database, clusterId: number, cursor: Cursor | null): Promise<WorkspaceSettings> {
	const [page, phases] = await Promise.all([
		keysetPage(
			settingsIn(db, clusterId).select(['s.id', 's.name', 's.urn', 's.phase', 's.setting_type', 's.town', 's.pupil_count', 'l.id as cluster_id', 'l.name as cluster_name']),
			{ order: [sql`s.name`, sql`s.id`], direction: 'asc', keyOf: (row) => [row.name, row.id], cursor }
		),
		settingsIn(db, clusterId)
			.select(['s.phase', (eb) => eb.fn.countAll<string>().as('n')])
			.groupBy('s.phase')
			.orderBy('s.phase')
			.execute()
	]);
	return { ...page, phases: phases.map((row) => ({ phase: row.phase, count: Number(row.n) })) };
}

export interface WorkspaceMember {
	userId: number;
	name: string;
	roles: { role: SettingRoleName | ClusterRoleName; where: string }[];
}

export interface WorkspaceMembers extends KeysetPage<WorkspaceMember> {
	/** Everyone in the workspace, not only this page. */
	total: number;
}

type WorkspaceRef = { id: number; parentId: number | null };

/** People in the workspace: staff of its settings and holders of roles on it (or on its district), by name. */
export function workspaceMembers(db: Database, cluster: WorkspaceRef, cursor: Cursor | null = null): Promise<WorkspaceMembers> {
	if (cursor) return memberRows(db, cluster, cursor);
	return cachedRead(db, `members:${cluster.id}`, () => memberRows(db, cluster, null));
}

/** The clusters whose role holders belong in the workspace: itself, its district and its localities. */
function roleClusters(db: Database, cluster: WorkspaceRef) {
	const related = [cluster.id, ...(cluster.parentId ? [cluster.parentId] : [])];
	return db
		.selectFrom('cluster as rc')
		.select('rc.id')
		.where((eb) => eb.or([eb('rc.id', 'in', related), eb('rc.parent_id', '=', cluster.id)]));
}

async function memberRows(db: Database, cluster: WorkspaceRef, cursor: Cursor | null): Promise<WorkspaceMembers> {
	const people = db
		.selectFrom('setting_membership as m')
		.select('m.user_id')
		.where('m.setting_id', 'in', settingsIn(db, cluster.id).select('s.id'))
		.union(db.selectFrom('cluster_role as r').select('r.user_id').where('r.cluster_id', 'in', roleClusters(db, cluster)));
	const members = db.selectFrom('app_user as u').where('u.is_active', '=', true).where('u.id', 'in', people);
	const [page, total] = await Promise.all([
		keysetPage(members.select(['u.id', 'u.name']), { order: [sql`u.name`, sql`u.id`], direction: 'asc', keyOf: (row) => [row.name, row.id], cursor }),
		members.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
	]);
	const ids = page.items.map((person) => person.id);
	const [settingRoles, clusterRoles] =
		ids.length === 0
			? [[], []]
			: await Promise.all([
					settingsIn(db, cluster.id)
						.innerJoin('setting_membership as m', 'm.setting_id', 's.id')
						.select(['m.user_id', 'm.role', 's.name as where'])
						.where('m.user_id', 'in', ids)
						.orderBy('s.name')
						.execute(),
					db
						.selectFrom('cluster_role as r')
						.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
						.select(['r.user_id', 'r.role', 'c.name as where'])
						.where('r.user_id', 'in', ids)
						.where('r.cluster_id', 'in', roleClusters(db, cluster))
						.orderBy('c.name')
						.execute()
				]);
	const items = page.items.map((person) => ({
		userId: person.id,
		name: person.name,
		// Cluster roles first, as before: a chair's role says more than their school's.
		roles: [...clusterRoles, ...settingRoles].filter((row) => row.user_id === person.id).map((row) => ({ role: row.role, where: row.where }))
	}));
	return { items, next: page.next, previous: page.previous, total: Number(total.n) };
}
