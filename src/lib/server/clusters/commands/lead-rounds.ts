import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { invalid } from '../../errors';
import { transact } from '../../work';
import { leadRoundsSchema } from '$lib/schemas/clusters';
import { changedEvents, lockAtVersion, workspaceLink } from './shared';

/** Lets (or stops) a cluster's lead open and manage its pooled-funding rounds. */
export async function setLeadRounds(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number; allowed: boolean }> {
	assertCan(actor, { action: 'clusters.manage' });
	const { clusterId, allowed, version, reason } = parseInput(leadRoundsSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { cluster } = await lockAtVersion(work.trx, clusterId, version);
		if (cluster.status !== 'active') throw invalid(`${cluster.name} has been retired, so it runs no funding rounds.`);
		const updated = await work.trx
			.updateTable('cluster')
			.set((eb) => ({ leads_may_open_rounds: allowed, version: eb('version', '+', 1) }))
			.where('id', '=', cluster.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const words = allowed ? 'may now open and manage' : 'may no longer open or manage';
		await work.record({
			action: allowed ? 'cluster.lead_rounds_allowed' : 'cluster.lead_rounds_withdrawn',
			subject: { type: 'cluster', id: cluster.id },
			summary: `The cluster lead ${words} funding rounds`,
			reason,
			detail: { clusterIds: [cluster.id], allowed },
			activity: {
				clusterId: cluster.id,
				verb: 'cluster.lead_rounds',
				summary: `The ${cluster.name} cluster lead ${words} pooled-funding rounds`,
				link: workspaceLink(cluster.id)
			},
			events: await changedEvents(work, [cluster.id])
		});
		return { id: cluster.id, version: updated.version, allowed };
	});
}
