import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { invalid } from '../../errors';
import { transact, type Work } from '../../work';
import { createLocalitySchema, renameClusterSchema } from '$lib/schemas/clusters';
import { canCreateLocalityIn, canRename } from '../rules';
import { changedEvents, facts, guardName, lockAtVersion, lockClusters, refuseUnless, workspaceLink } from './shared';

// Creating a locality cluster in a district, and renaming a cluster.

export interface CreatedLocality {
	id: number;
	name: string;
	version: number;
	districtId: number;
}

export async function createLocality(db: Database, actor: Actor | null, raw: unknown): Promise<CreatedLocality> {
	assertCan(actor, { action: 'clusters.manage' });
	const { districtId, name, reason } = parseInput(createLocalitySchema, raw);
	return transact(db, actor.id, async (work) => {
		const clusters = await lockClusters(work.trx, [districtId]);
		const district = clusters.get(districtId);
		if (!district) {
			throw invalid('That district could not be found.', { districtId: ['Choose the district the locality cluster belongs to'] });
		}
		refuseUnless(canCreateLocalityIn(facts(district)), 'districtId');

		const created = await guardName(
			work.trx.insertInto('cluster').values({ kind: 'locality', name, parent_id: district.id }).returning(['id', 'version']).executeTakeFirstOrThrow(),
			name,
			district.name
		);
		await work.record({
			action: 'cluster.created',
			subject: { type: 'cluster', id: created.id },
			summary: `Created ${name} in ${district.name}`,
			reason: reason || null,
			detail: {
				clusterIds: [created.id, district.id],
				before: null,
				after: { name, districtId: district.id, districtName: district.name, status: 'active', version: created.version }
			},
			activity: { clusterId: created.id, summary: `${name} locality cluster created in ${district.name}`, link: workspaceLink(created.id) },
			events: await changedEvents(work, [created.id, district.id])
		});
		return { id: created.id, name, version: created.version, districtId: district.id };
	});
}

export async function renameCluster(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; name: string; version: number }> {
	assertCan(actor, { action: 'clusters.manage' });
	const { clusterId, name, version, reason } = parseInput(renameClusterSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { cluster, district } = await lockAtVersion(work.trx, clusterId, version);
		refuseUnless(canRename(facts(cluster)));
		if (cluster.name === name) {
			const message = `The cluster is already called ${name}. Enter a different name.`;
			throw invalid(message, { name: [message] });
		}

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
		await work.record({
			action: 'cluster.renamed',
			subject: { type: 'cluster', id: cluster.id },
			summary: `Renamed from ${cluster.name} to ${name}`,
			reason,
			detail: {
				clusterIds: [cluster.id],
				before: { name: cluster.name, version: cluster.version },
				after: { name, version: updated.version }
			},
			activity: { clusterId: cluster.id, summary: `${cluster.name} renamed to ${name}`, link: workspaceLink(cluster.id) },
			// Every workspace that shows the name: its own, its district's (the list of localities) and its localities' (their district's name).
			events: await changedEvents(work, [cluster.id, cluster.parent_id, ...(await childIds(work, cluster.id))], 'renamed')
		});
		return { id: cluster.id, name, version: updated.version };
	});
}

/** A district's localities (none for a locality), by the `cluster_by_parent` index. */
async function childIds(work: Work, clusterId: number): Promise<number[]> {
	const rows = await work.trx.selectFrom('cluster').select('id').where('parent_id', '=', clusterId).execute();
	return rows.map((row) => row.id);
}
