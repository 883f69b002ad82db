import { sql } from 'kysely';
import type { Database } from '../db';
import type { ClusterKind, ClusterRoleName, CountyRole, SettingRoleName } from '$lib/roles';

/** Who is asking: the signed-in person with every role they hold, loaded once per request. */
export interface Actor {
	id: number;
	name: string;
	email: string;
	countyRole: CountyRole | null;
	/** clusterId: the setting's locality now; districtId: that locality's district (null for a top-level cluster). */
	settingRoles: { settingId: number; settingName: string; clusterId: number; districtId: number | null; role: SettingRoleName }[];
	clusterRoles: { clusterId: number; clusterName: string; clusterKind: ClusterKind; role: ClusterRoleName }[];
	/**
	 * Workspaces this person belongs to (county-wide access is not listed here): the locality of
	 * each of their settings and its district; each cluster they hold a role in, with its district
	 * above it or, for a district role, the localities under it.
	 */
	clusterIds: number[];
}

export interface ActorUser {
	id: number;
	name: string;
	email: string;
	county_role: CountyRole | null;
	is_active: boolean;
}

/**
 * Loads a person and all their roles in one round trip (two statements in parallel; the session
 * check passes the user row it already read). Each role row carries the cluster tree around it,
 * so working out their workspaces needs no further query.
 */
export async function loadActor(db: Database, userId: number, knownUser?: ActorUser): Promise<Actor | null> {
	const [user, settingRoles, clusterRoles] = await Promise.all([
		knownUser ??
			db
				.selectFrom('app_user')
				.select(['id', 'name', 'email', 'county_role', 'is_active'])
				.where('id', '=', userId)
				.executeTakeFirst(),
		db
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select(['m.setting_id', 's.name', 's.cluster_id', 'l.parent_id', 'm.role'])
			.where('m.user_id', '=', userId)
			.orderBy('s.name')
			.execute(),
		db
			.selectFrom('cluster_role as r')
			.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
			.select((eb) => [
				'r.cluster_id',
				'c.name',
				'c.kind',
				'c.parent_id',
				'r.role',
				// A district role reaches the district's active localities.
				eb
					.selectFrom('cluster as child')
					.select(sql<number[]>`coalesce(array_agg(child.id), '{}')`.as('ids'))
					.whereRef('child.parent_id', '=', 'c.id')
					.where('child.status', '=', 'active')
					.as('child_ids')
			])
			.where('r.user_id', '=', userId)
			.orderBy('c.name')
			.execute()
	]);
	if (!user || !user.is_active) return null;

	const clusterIds = new Set<number>();
	for (const role of settingRoles) {
		clusterIds.add(role.cluster_id);
		if (role.parent_id !== null) clusterIds.add(role.parent_id);
	}
	for (const role of clusterRoles) {
		clusterIds.add(role.cluster_id);
		if (role.parent_id !== null) clusterIds.add(role.parent_id);
		if (role.kind === 'district') for (const id of role.child_ids ?? []) clusterIds.add(id);
	}

	return {
		id: user.id,
		name: user.name,
		email: user.email,
		countyRole: user.county_role,
		settingRoles: settingRoles.map((r) => ({
			settingId: r.setting_id,
			settingName: r.name,
			clusterId: r.cluster_id,
			districtId: r.parent_id,
			role: r.role
		})),
		clusterRoles: clusterRoles.map((r) => ({
			clusterId: r.cluster_id,
			clusterName: r.name,
			clusterKind: r.kind,
			role: r.role
		})),
		clusterIds: [...clusterIds].sort((a, b) => a - b)
	};
}
