import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { conflict, invalid, notFound } from '../../errors';
import { transact } from '../../work';
import { publishAccessChanged } from '../../live/access';
import { clusterRoom } from '$lib/live/rooms';
import { moveSettingSchema } from '$lib/schemas/clusters';
import { canMoveSetting, settingChangedMessage } from '../rules';
import { changedEvents, facts, lockClusters, refuseUnless, workspaceLink } from './shared';

export interface MoveOutcome {
	settingId: number;
	fromClusterId: number;
	toClusterId: number;
	version: number;
}

/** Moves a setting (and with it, its people) from one locality cluster to another. */
export async function moveSetting(db: Database, actor: Actor | null, raw: unknown): Promise<MoveOutcome> {
	assertCan(actor, { action: 'clusters.manage' });
	const { settingId, toClusterId, version, reason } = parseInput(moveSettingSchema, raw);
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
		if (!to) throw invalid('That locality cluster could not be found.', { toClusterId: ['Choose the locality cluster to move the setting to'] });
		refuseUnless(canMoveSetting(setting.name, facts(from), facts(to)), 'toClusterId');

		const moved = await trx
			.updateTable('setting')
			.set((eb) => ({ cluster_id: to.id, version: eb('version', '+', 1) }))
			.where('id', '=', setting.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const feedLine = { summary: `${setting.name} moved from ${from.name} to ${to.name}`, link: workspaceLink(to.id) };
		await work.record({
			action: 'setting.moved',
			subject: { type: 'setting', id: setting.id },
			summary: `Moved ${setting.name} from ${from.name} to ${to.name}`,
			reason,
			detail: {
				clusterIds: [from.id, to.id],
				before: { clusterId: from.id, clusterName: from.name, version: setting.version },
				after: { clusterId: to.id, clusterName: to.name, version: moved.version }
			},
			activity: { clusterId: from.id, ...feedLine }
		});
		// Both workspaces' feeds say it.
		await work.activity({ clusterId: to.id, verb: 'setting.moved', ...feedLine });
		// The setting's people leave one workspace and join another: their rights change (and they reconnect with them).
		const members = (await trx.selectFrom('setting_membership').select('user_id').where('setting_id', '=', setting.id).execute()).map((m) => m.user_id);
		const membership = [from.id, to.id]
			.sort((a, b) => a - b)
			.map((clusterId) => ({ room: clusterRoom(clusterId), kind: 'membership.changed' as const, payload: { clusterId } }));
		for (const event of [...(await changedEvents(work, [from.id, to.id, from.parent_id, to.parent_id])), ...membership]) {
			await work.publish(event.room, event.kind, event.payload);
		}
		await publishAccessChanged(work, members);
		return { settingId: setting.id, fromClusterId: from.id, toClusterId: to.id, version: moved.version };
	});
}
