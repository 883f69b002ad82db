import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { invalid, notFound } from '../../errors';
import { transact, type Work } from '../../work';
import { clusterRoom } from '$lib/live/rooms';
import { mergeLocalitiesSchema, retireLocalitySchema } from '$lib/schemas/clusters';
import { roundsNotClosed } from '../queries';
import { canMerge, canRetire, planRoleMerge, roundsStillOpen } from '../rules';
import { changedEvents, facts, lockAtVersion, lockClusters, plural, recordingRoundsRefusal, refuseUnless, requireVersion, workspaceLink, type ClusterRow } from './shared';

// Folding one locality into another, and retiring an empty one. Open funding rounds hold both off.

export interface MergeOutcome {
	sourceId: number;
	targetId: number;
	targetVersion: number;
	movedSettingIds: number[];
	movedRoleIds: number[];
	droppedDuplicateRoleIds: number[];
}

/** Moves the source's settings, cluster roles and open invitations to the target. */
async function moveContents(trx: Work['trx'], source: ClusterRow, target: ClusterRow) {
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
		await trx.updateTable('cluster_role').set({ cluster_id: target.id }).where('id', 'in', roleMerge.move.map((r) => r.id)).execute();
	}
	// The person already holds the same role in the target, so the copy on the retired cluster would only mislead.
	if (roleMerge.duplicates.length) {
		await trx.deleteFrom('cluster_role').where('id', 'in', roleMerge.duplicates.map((r) => r.id)).execute();
	}
	const movedInvitations = await trx
		.updateTable('invitation')
		.set({ cluster_id: target.id })
		.where('cluster_id', '=', source.id)
		.where('used_at', 'is', null)
		.where('revoked_at', 'is', null)
		.returning('id')
		.execute();
	return { movedSettings, roleMerge, movedInvitations };
}

/**
 * One `setting.moved` audit entry per setting the merge moved, written by one `insert … select`
 * from the settings themselves (so the statement is the same for 2 settings as for 200). Each says
 * what a single move says: who, why, the summary, and the cluster and version before and after.
 */
async function recordMergedSettings(work: Work, settingIds: number[], source: ClusterRow, target: ClusterRow, reason: string) {
	if (settingIds.length === 0) return;
	const summary = `Moved from ${source.name} to ${target.name} when the clusters merged`;
	await work.trx
		.insertInto('audit_log')
		.columns(['actor_id', 'action', 'subject_type', 'subject_id', 'reason', 'detail'])
		.expression((eb) =>
			eb
				.selectFrom('setting as s')
				.select([
					sql<number | null>`${work.actorId}::int`.as('actor_id'),
					eb.val('setting.moved').as('action'),
					eb.val('setting').as('subject_type'),
					's.id as subject_id',
					eb.val(reason).as('reason'),
					sql<string>`jsonb_build_object(
						'viaMerge', true,
						'before', jsonb_build_object('clusterId', ${source.id}::int, 'clusterName', ${source.name}::text, 'version', s.version - 1),
						'after', jsonb_build_object('clusterId', ${target.id}::int, 'clusterName', ${target.name}::text, 'version', s.version),
						'summary', ${summary}::text
					)`.as('detail')
				])
				.where('s.id', '=', sql<number>`any(${settingIds}::int[])`)
				.orderBy('s.id')
		)
		.execute();
}

/**
 * Folds one locality into another in the same district: its settings, cluster roles and open
 * invitations go to the target, and it is retired with a pointer to where it went.
 */
export async function mergeLocalities(db: Database, actor: Actor | null, raw: unknown): Promise<MergeOutcome> {
	assertCan(actor, { action: 'clusters.manage' });
	const { sourceId, targetId, sourceVersion, targetVersion, reason } = parseInput(mergeLocalitiesSchema, raw);
	return recordingRoundsRefusal(db, actor, (refuse) =>
		transact(db, actor.id, async (work) => {
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

			const { movedSettings, roleMerge, movedInvitations } = await moveContents(trx, source, target);
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

			const feedLine = { summary: `${source.name} merged into ${target.name}`, link: workspaceLink(target.id) };
			await work.record({
				action: 'cluster.merged',
				subject: { type: 'cluster', id: source.id },
				summary: `Merged ${source.name} into ${target.name} (${plural(movedSettings.length, 'setting')} moved)`,
				reason,
				detail: {
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
				},
				activity: { clusterId: source.id, ...feedLine }
			});
			// Each setting's own history shows the move too, in one insert however many settings moved;
			// the cluster histories show only the merge entry above, which counts them.
			await recordMergedSettings(work, movedSettings.map((s) => s.id), source, target, reason);
			// The target's feed says it too, after the settings' entries (the same order as before the kit).
			await work.activity({ clusterId: target.id, verb: 'cluster.merged', ...feedLine });
			for (const event of await changedEvents(work, [source.id, target.id, source.parent_id])) await work.publish(event.room, event.kind, event.payload);
			await work.publish(clusterRoom(target.id), 'membership.changed', { clusterId: target.id });
			return {
				sourceId: source.id,
				targetId: target.id,
				targetVersion: grown.version,
				movedSettingIds: movedSettings.map((s) => s.id),
				movedRoleIds: roleMerge.move.map((r) => r.id),
				droppedDuplicateRoleIds: roleMerge.duplicates.map((r) => r.id)
			};
		})
	);
}

export async function retireLocality(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'clusters.manage' });
	const { clusterId, version, reason } = parseInput(retireLocalitySchema, raw);
	return recordingRoundsRefusal(db, actor, (refuse) =>
		transact(db, actor.id, async (work) => {
			const trx = work.trx;
			const { cluster } = await lockAtVersion(trx, clusterId, version, 'That locality cluster');
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
			await work.record({
				action: 'cluster.retired',
				subject: { type: 'cluster', id: cluster.id },
				summary: `Retired ${cluster.name}`,
				reason,
				detail: {
					clusterIds: [cluster.id, cluster.parent_id],
					before: { status: cluster.status, version: cluster.version },
					after: { status: 'retired', version: retired.version }
				},
				activity: { clusterId: cluster.id, summary: `${cluster.name} locality cluster retired`, link: workspaceLink(cluster.id) },
				events: await changedEvents(work, [cluster.id, cluster.parent_id])
			});
			return { id: cluster.id, version: retired.version };
		})
	);
}
