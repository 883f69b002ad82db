import type { Database } from '../db';
import type { ClusterKind, ClusterRoleName, CountyRole, SettingRoleName } from '$lib/roles';

/** Who is asking: the signed-in person with every role they hold, loaded once per request. */
export interface Actor {
	id: number;
	name: string;
	email: string;
	countyRole: CountyRole | null;
	settingRoles: { settingId: number; settingName: string; clusterId: number; role: SettingRoleName }[];
	clusterRoles: { clusterId: number; clusterName: string; clusterKind: ClusterKind; role: ClusterRoleName }[];
	/**
	 * Workspaces this person belongs to (county-wide access is not listed here): the locality of
	 * each of their settings and its district; each cluster they hold a role in, with its district
	 * above it or, for a district role, the localities under it.
	 */
	clusterIds: number[];
}

export async function loadActor(db: Database, userId: number): Promise<Actor | null> {
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'county_role', 'is_active'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user || !user.is_active) return null;

	const [settingRoles, clusterRoles] = await Promise.all([
		db
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.select(['m.setting_id', 's.name', 's.cluster_id', 'm.role'])
			.where('m.user_id', '=', userId)
			.orderBy('s.name')
			.execute(),
		db
			.selectFrom('cluster_role as r')
			.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
			.select(['r.cluster_id', 'c.name', 'c.kind', 'r.role'])
			.where('r.user_id', '=', userId)
			.orderBy('c.name')
			.execute()
	]);

	const direct = new Set<number>([...settingRoles.map((r) => r.cluster_id), ...clusterRoles.map((r) => r.cluster_id)]);
	const clusterIds = new Set<number>(direct);
	if (direct.size > 0) {
		const related = await db
			.selectFrom('cluster')
			.select(['id', 'parent_id'])
			.where((eb) =>
				eb.or([eb('id', 'in', [...direct]), eb.and([eb('parent_id', 'in', [...direct]), eb('status', '=', 'active')])])
			)
			.execute();
		const districtRoleClusters = new Set(clusterRoles.filter((r) => r.kind === 'district').map((r) => r.cluster_id));
		for (const cluster of related) {
			if (direct.has(cluster.id) && cluster.parent_id !== null) clusterIds.add(cluster.parent_id);
			if (cluster.parent_id !== null && districtRoleClusters.has(cluster.parent_id)) clusterIds.add(cluster.id);
		}
	}

	return {
		id: user.id,
		name: user.name,
		email: user.email,
		countyRole: user.county_role as CountyRole | null,
		settingRoles: settingRoles.map((r) => ({
			settingId: r.setting_id,
			settingName: r.name,
			clusterId: r.cluster_id,
			role: r.role as SettingRoleName
		})),
		clusterRoles: clusterRoles.map((r) => ({
			clusterId: r.cluster_id,
			clusterName: r.name,
			clusterKind: r.kind as ClusterKind,
			role: r.role as ClusterRoleName
		})),
		clusterIds: [...clusterIds].sort((a, b) => a - b)
	};
}
