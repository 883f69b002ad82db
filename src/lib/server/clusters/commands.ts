import { sql } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { can } from '../policy';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { transact, type Work } from '../work';
import { clusterRoom } from '$lib/live/events';
import { fieldErrors } from '$lib/schemas/auth';
import { roundsNotClosed } from './queries';
import {
	createLocalitySchema,
	leadRoundsSchema,
	mergeLocalitiesSchema,
	moveSettingSchema,
	renameClusterSchema,
	retireLocalitySchema,
	type CreateLocalityInput,
	type LeadRoundsInput,
	type MergeLocalitiesInput,
	type MoveSettingInput,
	type RenameClusterInput,
	type RetireLocalityInput,
	type Unchecked
} from '$lib/schemas/clusters';
import {
	canCreateLocalityIn,
	canMerge,
	canMoveSetting,
	canRename,
	canRetire,
	clusterChangedMessage,
	roundsStillOpen,
	nameTakenMessage,
	planRoleMerge,
	settingChangedMessage,
	type ClusterFacts,
	type RuleResult
} from './rules';

// County set-up commands. Each is one transaction: it asks the policy, locks the clusters it
// touches (with their districts, always in id order so two officers' actions queue rather than
// deadlock), checks the version the officer saw, writes, and records who, what and why.

type Trx = Work['trx'];

interface ClusterRow {
	id: number;
	name: string;
	kind: string;
	status: string;
	parent_id: number | null;
	merged_into_id: number | null;
	version: number;
}

function requireManage(actor: Actor | null): asserts actor is Actor {
	const decision = can(actor, { action: 'clusters.manage' });
	if (!decision.allowed) throw forbidden(decision.reason);
}

/** Commands check their own input too, so every caller gets the same field-by-field errors. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const errors = fieldErrors(result.error);
	const first = Object.values(errors).flat()[0] ?? 'Check the details you entered.';
	throw invalid(first, errors);
}

function refuseUnless(result: RuleResult, field?: string): void {
	if (result.allowed) return;
	throw invalid(result.reasons[0], field ? { [field]: result.reasons } : undefined);
}

const facts = (row: ClusterRow): ClusterFacts => ({
	id: row.id,
	name: row.name,
	kind: row.kind,
	status: row.status,
	parentId: row.parent_id
});

/** Locks the clusters and their districts, in id order, for the rest of the transaction. */
async function lockClusters(trx: Trx, ids: number[]): Promise<Map<number, ClusterRow>> {
	const wanted = new Set(ids);
	// A cluster's district never changes, so reading it before the lock is safe.
	const parents = await trx.selectFrom('cluster').select('parent_id').where('id', 'in', [...wanted]).execute();
	for (const { parent_id } of parents) if (parent_id !== null) wanted.add(parent_id);
	const rows = await trx
		.selectFrom('cluster')
		.select(['id', 'name', 'kind', 'status', 'parent_id', 'merged_into_id', 'version'])
		.where('id', 'in', [...wanted])
		.orderBy('id')
		.forUpdate()
		.execute();
	return new Map(rows.map((row) => [row.id, row]));
}

async function requireVersion(trx: Trx, cluster: ClusterRow, version: number, subject?: string): Promise<void> {
	if (cluster.version === version) return;
	const mergedInto = cluster.merged_into_id
		? await trx.selectFrom('cluster').select('name').where('id', '=', cluster.merged_into_id).executeTakeFirst()
		: undefined;
	throw conflict(clusterChangedMessage({ ...cluster, mergedIntoName: mergedInto?.name ?? null }, subject));
}

function isActiveNameClash(caught: unknown): boolean {
	const error = caught as { code?: string; constraint?: string } | null;
	return error?.code === '23505' && error.constraint === 'cluster_active_name';
}

/** The unique index on active sibling names is the real guard (it holds under concurrency); say it as a field error. */
async function guardName<T>(write: Promise<T>, name: string, parentName: string | null): Promise<T> {
	try {
		return await write;
	} catch (caught) {
		if (!isActiveNameClash(caught)) throw caught;
		const message = nameTakenMessage(name, parentName);
		throw invalid(message, { name: [message] });
	}
}

/** Tells everyone looking at these clusters (or their districts) to refetch. */
async function announceChanged(work: Work, clusterIds: (number | null | undefined)[]): Promise<void> {
	const ids = [...new Set(clusterIds.filter((id): id is number => typeof id === 'number'))];
	if (ids.length === 0) return;
	const rows = await work.trx.selectFrom('cluster').select(['id', 'version']).where('id', 'in', ids).orderBy('id').execute();
	for (const row of rows) await work.publish(clusterRoom(row.id), 'cluster.changed', { clusterId: row.id, version: row.version });
}

const workspaceLink = (clusterId: number) => `/clusters/${clusterId}`;

interface RoundsRefusal {
	cluster: ClusterRow;
	rounds: { id: number; name: string }[];
	change: 'merged' | 'retired';
	reason: string;
	message: string;
}

/**
 * Runs a merge or retirement; when open funding rounds stopped it, the attempt goes on the
 * cluster's history (in its own transaction, the change itself having rolled back), so the next
 * officer sees why it did not happen.
 */
async function recordingRoundsRefusal<T>(db: Database, actor: Actor, run: (refuse: (r: RoundsRefusal) => never) => Promise<T>): Promise<T> {
	let refused: RoundsRefusal | null = null;
	try {
		return await run((r) => {
			refused = r;
			throw invalid(r.message);
		});
	} catch (caught) {
		const r = refused as RoundsRefusal | null;
		if (r) {
			await transact(db, actor.id, async (work) => {
				await work.audit({
					action: r.change === 'merged' ? 'cluster.merge_refused' : 'cluster.retire_refused',
					subjectType: 'cluster',
					subjectId: r.cluster.id,
					reason: r.reason,
					detail: {
						summary: r.message,
						clusterIds: [r.cluster.id, r.cluster.parent_id],
						openRounds: r.rounds.map((round) => ({ id: round.id, name: round.name }))
					}
				});
			});
		}
		throw caught;
	}
}

export interface CreatedLocality {
	id: number;
	name: string;
	version: number;
	districtId: number;
}

export async function createLocality(db: Database, actor: Actor | null, input: Unchecked<CreateLocalityInput>): Promise<CreatedLocality> {
	requireManage(actor);
	const { districtId, name, reason } = parse(createLocalitySchema, input);
	return transact(db, actor.id, async (work) => {
		const clusters = await lockClusters(work.trx, [districtId]);
		const district = clusters.get(districtId);
		if (!district) {
			throw invalid('That district could not be found.', { districtId: ['Choose the district the locality cluster belongs to'] });
		}
		refuseUnless(canCreateLocalityIn(facts(district)), 'districtId');

		const created = await guardName(
			work.trx
				.insertInto('cluster')
				.values({ kind: 'locality', name, parent_id: district.id })
				.returning(['id', 'version'])
				.executeTakeFirstOrThrow(),
			name,
			district.name
		);
		await work.audit({
			action: 'cluster.created',
			subjectType: 'cluster',
			subjectId: created.id,
			reason: reason || null,
			detail: {
				summary: `Created ${name} in ${district.name}`,
				clusterIds: [created.id, district.id],
				before: null,
				after: { name, districtId: district.id, districtName: district.name, status: 'active', version: created.version }
			}
		});
		await work.activity({
			clusterId: created.id,
			verb: 'cluster.created',
			summary: `${name} locality cluster created in ${district.name}`,
			link: workspaceLink(created.id)
		});
		await announceChanged(work, [created.id, district.id]);
		return { id: created.id, name, version: created.version, districtId: district.id };
	});
}

export async function renameCluster(
	db: Database,
	actor: Actor | null,
	input: Unchecked<RenameClusterInput>
): Promise<{ id: number; name: string; version: number }> {
	requireManage(actor);
	const { clusterId, name, version, reason } = parse(renameClusterSchema, input);
	return transact(db, actor.id, async (work) => {
		const clusters = await lockClusters(work.trx, [clusterId]);
		const cluster = clusters.get(clusterId);
		if (!cluster) throw notFound('That cluster');
		await requireVersion(work.trx, cluster, version);
		refuseUnless(canRename(facts(cluster)));
		if (cluster.name === name) {
			const message = `The cluster is already called ${name}. Enter a different name.`;
			throw invalid(message, { name: [message] });
		}
		const district = cluster.parent_id === null ? undefined : clusters.get(cluster.parent_id);

		const updated = await guardName(
			work.trx
				.updateTable('cluster')
				.set((eb) => ({ name, version: eb('version', '+', 1) }))
				.where('id', '=', cluster.id)
				.returning('version')
				.executeTakeFirstOrThrow(),
			name,
			district?.name ?? null
		);
		await work.audit({
			action: 'cluster.renamed',
			subjectType: 'cluster',
			subjectId: cluster.id,
			reason,
			detail: {
				summary: `Renamed from ${cluster.name} to ${name}`,
				clusterIds: [cluster.id],
				before: { name: cluster.name, version: cluster.version },
				after: { name, version: updated.version }
			}
		});
		await work.activity({
			clusterId: cluster.id,
			verb: 'cluster.renamed',
			summary: `${cluster.name} renamed to ${name}`,
			link: workspaceLink(cluster.id)
		});
		await announceChanged(work, [cluster.id, cluster.parent_id]);
		return { id: cluster.id, name, version: updated.version };
	});
}

/** Lets (or stops) a cluster's lead open and manage its pooled-funding rounds. */
export async function setLeadRounds(
	db: Database,
	actor: Actor | null,
	input: Unchecked<LeadRoundsInput>
): Promise<{ id: number; version: number; allowed: boolean }> {
	requireManage(actor);
	const { clusterId, allowed, version, reason } = parse(leadRoundsSchema, input);
	return transact(db, actor.id, async (work) => {
		const clusters = await lockClusters(work.trx, [clusterId]);
		const cluster = clusters.get(clusterId);
		if (!cluster) throw notFound('That cluster');
		await requireVersion(work.trx, cluster, version);
		if (cluster.status !== 'active') throw invalid(`${cluster.name} has been retired, so it runs no funding rounds.`);
		const updated = await work.trx
			.updateTable('cluster')
			.set((eb) => ({ leads_may_open_rounds: allowed, version: eb('version', '+', 1) }))
			.where('id', '=', cluster.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const words = allowed ? 'may now open and manage' : 'may no longer open or manage';
		await work.audit({
			action: allowed ? 'cluster.lead_rounds_allowed' : 'cluster.lead_rounds_withdrawn',
			subjectType: 'cluster',
			subjectId: cluster.id,
			reason,
			detail: { summary: `The cluster lead ${words} funding rounds`, clusterIds: [cluster.id], allowed }
		});
		await work.activity({
			clusterId: cluster.id,
			verb: 'cluster.lead_rounds',
			summary: `The ${cluster.name} cluster lead ${words} pooled-funding rounds`,
			link: workspaceLink(cluster.id)
		});
		await announceChanged(work, [cluster.id]);
		return { id: cluster.id, version: updated.version, allowed };
	});
}

export interface MergeOutcome {
	sourceId: number;
	targetId: number;
	targetVersion: number;
	movedSettingIds: number[];
	movedRoleIds: number[];
	droppedDuplicateRoleIds: number[];
}

/**
 * Folds one locality into another in the same district: its settings, cluster roles and open
 * invitations go to the target, and it is retired with a pointer to where it went.
 */
export async function mergeLocalities(db: Database, actor: Actor | null, input: Unchecked<MergeLocalitiesInput>): Promise<MergeOutcome> {
	requireManage(actor);
	const { sourceId, targetId, sourceVersion, targetVersion, reason } = parse(mergeLocalitiesSchema, input);
	return recordingRoundsRefusal(db, actor, (refuse) => transact(db, actor.id, async (work) => {
		const trx = work.trx;
		const clusters = await lockClusters(trx, [sourceId, targetId]);
		const source = clusters.get(sourceId);
		if (!source) throw notFound('That locality cluster');
		const target = clusters.get(targetId);
		if (!target) throw invalid('That locality cluster could not be found.', { targetId: ['Choose the locality cluster to merge into'] });
		await requireVersion(trx, source, sourceVersion);
		await requireVersion(trx, target, targetVersion, 'the locality cluster you chose to merge into');
		refuseUnless(canMerge(facts(source), facts(target)), 'targetId');
		// Opening a round takes the cluster row FOR SHARE, so none can appear before this commits.
		const openRounds = await roundsNotClosed(trx, source.id);
		const rounds = roundsStillOpen(facts(source), openRounds, 'merged');
		if (!rounds.allowed) refuse({ cluster: source, rounds: openRounds, change: 'merged', reason, message: rounds.reasons[0] });

		const movedSettings = await trx
			.updateTable('setting')
			.set((eb) => ({ cluster_id: target.id, version: eb('version', '+', 1) }))
			.where('cluster_id', '=', source.id)
			.returning(['id', 'name', 'version'])
			.execute();

		const roles = await trx
			.selectFrom('cluster_role')
			.select(['id', 'user_id as userId', 'role', 'cluster_id as clusterId'])
			.where('cluster_id', 'in', [source.id, target.id])
			.orderBy('id')
			.execute();
		const roleMerge = planRoleMerge(
			roles.filter((r) => r.clusterId === source.id),
			roles.filter((r) => r.clusterId === target.id)
		);
		if (roleMerge.move.length) {
			await trx
				.updateTable('cluster_role')
				.set({ cluster_id: target.id })
				.where(
					'id',
					'in',
					roleMerge.move.map((r) => r.id)
				)
				.execute();
		}
		// The person already holds the same role in the target, so the copy on the retired cluster would only mislead.
		if (roleMerge.duplicates.length) {
			await trx
				.deleteFrom('cluster_role')
				.where(
					'id',
					'in',
					roleMerge.duplicates.map((r) => r.id)
				)
				.execute();
		}
		const movedInvitations = await trx
			.updateTable('invitation')
			.set({ cluster_id: target.id })
			.where('cluster_id', '=', source.id)
			.where('used_at', 'is', null)
			.where('revoked_at', 'is', null)
			.returning('id')
			.execute();

		const retired = await trx
			.updateTable('cluster')
			.set((eb) => ({ status: 'retired', retired_at: sql<Date>`now()`, merged_into_id: target.id, version: eb('version', '+', 1) }))
			.where('id', '=', source.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const grown = await trx
			.updateTable('cluster')
			.set((eb) => ({ version: eb('version', '+', 1) }))
			.where('id', '=', target.id)
			.returning('version')
			.executeTakeFirstOrThrow();

		const summary = `${source.name} merged into ${target.name}`;
		await work.audit({
			action: 'cluster.merged',
			subjectType: 'cluster',
			subjectId: source.id,
			reason,
			detail: {
				summary: `Merged ${source.name} into ${target.name} (${plural(movedSettings.length, 'setting')} moved)`,
				clusterIds: [source.id, target.id, source.parent_id],
				before: {
					source: { id: source.id, name: source.name, status: source.status, version: source.version },
					target: { id: target.id, name: target.name, version: target.version }
				},
				after: {
					source: { id: source.id, status: 'retired', mergedIntoId: target.id, version: retired.version },
					target: { id: target.id, version: grown.version }
				},
				movedSettings: movedSettings.map((s) => ({ id: s.id, name: s.name })),
				movedRoles: roleMerge.move.map((r) => ({ id: r.id, userId: r.userId, role: r.role })),
				droppedDuplicateRoles: roleMerge.duplicates.map((r) => ({ id: r.id, userId: r.userId, role: r.role })),
				movedInvitationIds: movedInvitations.map((i) => i.id)
			}
		});
		// Each setting's own history shows the move too; the merge entry above covers the clusters' histories.
		for (const setting of movedSettings) {
			await work.audit({
				action: 'setting.moved',
				subjectType: 'setting',
				subjectId: setting.id,
				reason,
				detail: {
					summary: `Moved from ${source.name} to ${target.name} when the clusters merged`,
					viaMerge: true,
					before: { clusterId: source.id, clusterName: source.name, version: setting.version - 1 },
					after: { clusterId: target.id, clusterName: target.name, version: setting.version }
				}
			});
		}
		for (const clusterId of [source.id, target.id]) {
			await work.activity({ clusterId, verb: 'cluster.merged', summary, link: workspaceLink(target.id) });
		}
		await announceChanged(work, [source.id, target.id, source.parent_id]);
		await work.publish(clusterRoom(target.id), 'membership.changed', { clusterId: target.id });
		return {
			sourceId: source.id,
			targetId: target.id,
			targetVersion: grown.version,
			movedSettingIds: movedSettings.map((s) => s.id),
			movedRoleIds: roleMerge.move.map((r) => r.id),
			droppedDuplicateRoleIds: roleMerge.duplicates.map((r) => r.id)
		};
	}));
}

export async function retireLocality(
	db: Database,
	actor: Actor | null,
	input: Unchecked<RetireLocalityInput>
): Promise<{ id: number; version: number }> {
	requireManage(actor);
	const { clusterId, version, reason } = parse(retireLocalitySchema, input);
	return recordingRoundsRefusal(db, actor, (refuse) => transact(db, actor.id, async (work) => {
		const trx = work.trx;
		const clusters = await lockClusters(trx, [clusterId]);
		const cluster = clusters.get(clusterId);
		if (!cluster) throw notFound('That locality cluster');
		await requireVersion(trx, cluster, version);
		// Moves into this cluster lock it too, so this count cannot go stale before commit.
		const { n } = await trx
			.selectFrom('setting')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('cluster_id', '=', cluster.id)
			.executeTakeFirstOrThrow();
		refuseUnless(canRetire(facts(cluster), Number(n)));
		const openRounds = await roundsNotClosed(trx, cluster.id);
		const rounds = roundsStillOpen(facts(cluster), openRounds, 'retired');
		if (!rounds.allowed) refuse({ cluster, rounds: openRounds, change: 'retired', reason, message: rounds.reasons[0] });

		const retired = await trx
			.updateTable('cluster')
			.set((eb) => ({ status: 'retired', retired_at: sql<Date>`now()`, version: eb('version', '+', 1) }))
			.where('id', '=', cluster.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.audit({
			action: 'cluster.retired',
			subjectType: 'cluster',
			subjectId: cluster.id,
			reason,
			detail: {
				summary: `Retired ${cluster.name}`,
				clusterIds: [cluster.id, cluster.parent_id],
				before: { status: cluster.status, version: cluster.version },
				after: { status: 'retired', version: retired.version }
			}
		});
		await work.activity({
			clusterId: cluster.id,
			verb: 'cluster.retired',
			summary: `${cluster.name} locality cluster retired`,
			link: workspaceLink(cluster.id)
		});
		await announceChanged(work, [cluster.id, cluster.parent_id]);
		return { id: cluster.id, version: retired.version };
	}));
}

export interface MoveOutcome {
	settingId: number;
	fromClusterId: number;
	toClusterId: number;
	version: number;
}

export async function moveSetting(db: Database, actor: Actor | null, input: Unchecked<MoveSettingInput>): Promise<MoveOutcome> {
	requireManage(actor);
	const { settingId, toClusterId, version, reason } = parse(moveSettingSchema, input);
	return transact(db, actor.id, async (work) => {
		const trx = work.trx;
		const seen = await trx.selectFrom('setting').select('cluster_id').where('id', '=', settingId).executeTakeFirst();
		if (!seen) throw notFound('That setting');
		// Clusters first, then the setting: the same order a merge takes, so the two queue rather than deadlock.
		const clusters = await lockClusters(trx, [seen.cluster_id, toClusterId]);
		const setting = await trx
			.selectFrom('setting')
			.select(['id', 'name', 'cluster_id', 'version'])
			.where('id', '=', settingId)
			.forUpdate()
			.executeTakeFirstOrThrow();
		if (setting.version !== version) {
			const now = await trx.selectFrom('cluster').select('name').where('id', '=', setting.cluster_id).executeTakeFirstOrThrow();
			throw conflict(settingChangedMessage(setting.name, now.name));
		}
		// The version matched, so the setting is still where it was when the clusters were locked.
		const from = clusters.get(setting.cluster_id);
		if (!from) throw notFound('That setting’s cluster');
		const to = clusters.get(toClusterId);
		if (!to) {
			throw invalid('That locality cluster could not be found.', {
				toClusterId: ['Choose the locality cluster to move the setting to']
			});
		}
		refuseUnless(canMoveSetting(setting.name, facts(from), facts(to)), 'toClusterId');

		const moved = await trx
			.updateTable('setting')
			.set((eb) => ({ cluster_id: to.id, version: eb('version', '+', 1) }))
			.where('id', '=', setting.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const summary = `${setting.name} moved from ${from.name} to ${to.name}`;
		await work.audit({
			action: 'setting.moved',
			subjectType: 'setting',
			subjectId: setting.id,
			reason,
			detail: {
				summary: `Moved ${setting.name} from ${from.name} to ${to.name}`,
				clusterIds: [from.id, to.id],
				before: { clusterId: from.id, clusterName: from.name, version: setting.version },
				after: { clusterId: to.id, clusterName: to.name, version: moved.version }
			}
		});
		for (const clusterId of [from.id, to.id]) {
			await work.activity({ clusterId, verb: 'setting.moved', summary, link: workspaceLink(to.id) });
		}
		await announceChanged(work, [from.id, to.id, from.parent_id, to.parent_id]);
		for (const clusterId of [from.id, to.id].sort((a, b) => a - b)) {
			await work.publish(clusterRoom(clusterId), 'membership.changed', { clusterId });
		}
		// The setting's people leave one workspace and join another: reconnect them with their new rights.
		const members = await trx.selectFrom('setting_membership').select('user_id').where('setting_id', '=', setting.id).execute();
		for (const { user_id } of members) work.disconnectUser(user_id);
		return { settingId: setting.id, fromClusterId: from.id, toClusterId: to.id, version: moved.version };
	});
}

function plural(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
