import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../db';

type Reader = Kysely<DB>;
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

/**
 * A person's own row with every role they hold, each role carrying the cluster tree around it
 * (so working out their workspaces needs no further query): one statement. `u` is `app_user`;
 * the session check joins the session to it, so a request's check is one statement too.
 */
export function personWithRoles(db: Reader) {
	return db.selectFrom('app_user as u').select((eb) => [
		'u.id',
		'u.name',
		'u.email',
		'u.county_role',
		'u.is_active',
		jsonArrayFrom(
			eb
				.selectFrom('setting_membership as m')
				.innerJoin('setting as s', 's.id', 'm.setting_id')
				.innerJoin('cluster as l', 'l.id', 's.cluster_id')
				.select(['m.setting_id', 's.name', 's.cluster_id', 'l.parent_id', 'm.role'])
				.whereRef('m.user_id', '=', 'u.id')
				.orderBy('s.name')
		).as('setting_roles'),
		jsonArrayFrom(
			eb
				.selectFrom('cluster_role as r')
				.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
				.select((inner) => [
					'r.cluster_id',
					'c.name',
					'c.kind',
					'c.parent_id',
					'r.role',
					// A district role reaches the district's active localities.
					inner
						.selectFrom('cluster as child')
						.select(sql<number[]>`coalesce(array_agg(child.id), '{}')`.as('ids'))
						.whereRef('child.parent_id', '=', 'c.id')
						.where('child.status', '=', 'active')
						.as('child_ids')
				])
				.whereRef('r.user_id', '=', 'u.id')
				.orderBy('c.name')
		).as('cluster_roles')
	]);
}

/** Loads a person and all their roles (one statement); null if there is no such active person. */
export async function loadActor(db: Reader, userId: number): Promise<Actor | null> {
	const row = await personWithRoles(db).where('u.id', '=', userId).executeTakeFirst();
	return row ? actorOf(row) : null;
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof personWithRoles>['executeTakeFirstOrThrow']>>;

/** The actor from a row read by `personWithRoles`; null for a deactivated person. */
export function actorOf(row: PersonRow): Actor | null {
	const { setting_roles: settingRoles, cluster_roles: clusterRoles, ...user } = row;
	if (!user.is_active) return null;

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
