import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan, type AccountChange } from '../../policy';
import { invalid, notFound } from '../../errors';
import type { Work } from '../../work';
import { clusterWithParent } from '../../clusters/tree';
import { publishAccessChanged } from '../../live/access';
import { clusterRoom } from '$lib/live/rooms';
import type { CountyRole } from '$lib/roles';
import type { Grant } from '$lib/schemas/people';
import { clusterRoleProblem, describeGrant } from '../rules';

// What the people commands share: the locked account row, a grant placed against the database,
// and telling open workspaces that their member list changed. Each command is one user action =
// one transaction: it asks the policy on the rows it locks, writes, and records it once.

export type Trx = Transaction<DB>;

export interface AccountRow {
	id: number;
	name: string;
	email: string;
	county_role: CountyRole | null;
	is_active: boolean;
	password_hash: string | null;
}

const ACCOUNT_COLUMNS = ['id', 'name', 'email', 'county_role', 'is_active', 'password_hash'] as const;

/** The person's row, locked so two officers changing one account do not interleave. */
export async function lockPerson(trx: Trx, userId: number): Promise<AccountRow> {
	const person = await trx.selectFrom('app_user').select(ACCOUNT_COLUMNS).where('id', '=', userId).forUpdate().executeTakeFirst();
	if (!person) throw notFound('That person');
	return person;
}

/** The account with this email address (whatever its capitals), locked; undefined if there is none. */
export function lockPersonByEmail(trx: Trx, email: string): Promise<AccountRow | undefined> {
	return trx.selectFrom('app_user').select(ACCOUNT_COLUMNS).where(sameEmail(email)).forUpdate().executeTakeFirst();
}

/** The policy's word on changing this account, asked on the row just locked. */
export function assertChange(actor: Actor, person: AccountRow, change: AccountChange): void {
	assertCan(actor, { action: 'people.changeAccount', person: { id: person.id, countyRole: person.county_role }, change });
}

/** A grant checked against the database: the setting or cluster exists and fits the role. */
export interface PlacedGrant {
	grant: Grant;
	/** "SENCO at Cherwell Valley School" */
	description: string;
	/** The workspace whose feed and member list this grant changes (none for county roles). */
	clusterId: number | null;
}

/** `held`: the grant is one the person already holds (being removed), so it is described, not judged. */
export async function placeGrant(trx: Trx, grant: Grant, held = false): Promise<PlacedGrant> {
	if (grant.kind === 'setting') {
		const setting = await trx.selectFrom('setting').select(['id', 'name', 'cluster_id']).where('id', '=', grant.settingId).executeTakeFirst();
		if (!setting) throw invalid('That setting could not be found.', { settingId: ['Select a setting from the list'] });
		return { grant, description: describeGrant(grant, { settingName: setting.name }), clusterId: setting.cluster_id };
	}
	if (grant.kind === 'cluster') {
		const cluster = await clusterWithParent(trx, grant.clusterId);
		if (!cluster) throw invalid('That cluster could not be found.', { clusterId: ['Select a cluster from the list'] });
		const problem = held ? null : clusterRoleProblem(grant.role, { ...cluster, kind: cluster.kind });
		if (problem) throw invalid(problem, { clusterId: [problem] });
		return { grant, description: describeGrant(grant, { clusterName: cluster.name, clusterKind: cluster.kind }), clusterId: cluster.id };
	}
	return { grant, description: describeGrant(grant, {}), clusterId: null };
}

/** Gives the role; false when they already hold it. */
export async function applyGrant(trx: Trx, userId: number, grant: Grant): Promise<boolean> {
	if (grant.kind === 'setting') {
		const added = await trx
			.insertInto('setting_membership')
			.values({ user_id: userId, setting_id: grant.settingId, role: grant.role })
			.onConflict((oc) => oc.constraint('setting_membership_unique').doNothing())
			.returning('id')
			.executeTakeFirst();
		return added !== undefined;
	}
	if (grant.kind === 'cluster') {
		const added = await trx
			.insertInto('cluster_role')
			.values({ user_id: userId, cluster_id: grant.clusterId, role: grant.role })
			.onConflict((oc) => oc.constraint('cluster_role_unique').doNothing())
			.returning('id')
			.executeTakeFirst();
		return added !== undefined;
	}
	const changed = await trx
		.updateTable('app_user')
		.set((eb) => ({ county_role: grant.role, version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.where((eb) => eb.or([eb('county_role', 'is', null), eb('county_role', '!=', grant.role)]))
		.executeTakeFirst();
	return Number(changed.numUpdatedRows) > 0;
}

export async function bumpVersion(trx: Trx, userId: number): Promise<void> {
	await trx
		.updateTable('app_user')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.execute();
}

/**
 * Tells open workspaces (the cluster and its district) that their member list changed, and these
 * people that their access did: their remembered sessions are forgotten on every instance (nobody
 * else's), their open pages reload and their live connections (let in with the old rights) end.
 */
export async function membershipChanged(work: Work, clusterIds: (number | null)[], userIds: number[]): Promise<void> {
	await publishAccessChanged(work, userIds);
	const direct = [...new Set(clusterIds.filter((id): id is number => id !== null))];
	if (direct.length === 0) return;
	const parents = await work.trx.selectFrom('cluster').select('parent_id').where('id', 'in', direct).execute();
	const rooms = new Set([...direct, ...parents.map((p) => p.parent_id).filter((id): id is number => id !== null)]);
	for (const clusterId of [...rooms].sort((a, b) => a - b)) {
		await work.publish(clusterRoom(clusterId), 'membership.changed', { clusterId });
	}
}

/** Every workspace a person's roles place them in. */
export async function clustersOfPerson(trx: Trx, userId: number): Promise<number[]> {
	const [settings, roles] = await Promise.all([
		trx
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.select('s.cluster_id')
			.where('m.user_id', '=', userId)
			.execute(),
		trx.selectFrom('cluster_role').select('cluster_id').where('user_id', '=', userId).execute()
	]);
	return [...settings, ...roles].map((row) => row.cluster_id);
}

/** Email addresses match whatever their capitals (app_user has a unique index on lower(email)). */
export function sameEmail(email: string) {
	return sql<boolean>`lower(email) = ${email.toLowerCase()}`;
}

/** What a role change tells the person, in the portal and by email. */
export const grantedNotice = (actor: Actor, placed: PlacedGrant, userId: number) => ({
	userIds: [userId],
	kind: 'role.granted',
	title: `You are now ${placed.description}`,
	body: `${actor.name} gave you this role in the Oxfordshire SEND cluster portal.`,
	link: '/',
	email: true
});
