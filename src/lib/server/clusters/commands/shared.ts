import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { conflict, invalid, notFound, codesOf } from '../../errors';
import { transact, type Work } from '../../work';
import { clusterRoom } from '$lib/live/rooms';
import { clusterChangedMessage, nameTakenMessage, type ClusterFacts, type RuleResult } from '../rules';

// What the county set-up commands share. Each command is one transaction: it asks the policy,
// locks the clusters it touches (with their districts, always in id order so two officers'
// actions queue rather than deadlock), checks the version the officer saw on the locked rows,
// writes, and records who, what and why once (work.record).

export type Trx = Work['trx'];

export interface ClusterRow {
	id: number;
	name: string;
	kind: string;
	status: string;
	parent_id: number | null;
	merged_into_id: number | null;
	version: number;
}

export function refuseUnless(result: RuleResult, field?: string): void {
	if (result.allowed) return;
	throw invalid(result.reasons[0], field ? { [field]: result.reasons } : undefined);
}

export const facts = (row: ClusterRow): ClusterFacts => ({
	id: row.id,
	name: row.name,
	kind: row.kind,
	status: row.status,
	parentId: row.parent_id
});

/** Locks the clusters and their districts, in id order, for the rest of the transaction. */
export async function lockClusters(trx: Trx, ids: number[]): Promise<Map<number, ClusterRow>> {
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

/** The version the officer saw, checked on the locked row: someone else's change first is a conflict. */
export async function requireVersion(trx: Trx, cluster: ClusterRow, version: number, subject?: string): Promise<void> {
	if (cluster.version === version) return;
	const mergedInto = cluster.merged_into_id
		? await trx.selectFrom('cluster').select('name').where('id', '=', cluster.merged_into_id).executeTakeFirst()
		: undefined;
	throw conflict(clusterChangedMessage({ ...cluster, mergedIntoName: mergedInto?.name ?? null }, subject));
}

/**
 * The cluster a command changes, locked with its district, at the version the officer saw: the
 * decision and the write are made on these rows. `what` names it for a 404.
 */
export async function lockAtVersion(trx: Trx, clusterId: number, version: number, what = 'That cluster') {
	const clusters = await lockClusters(trx, [clusterId]);
	const cluster = clusters.get(clusterId);
	if (!cluster) throw notFound(what);
	await requireVersion(trx, cluster, version);
	return { cluster, district: cluster.parent_id === null ? undefined : clusters.get(cluster.parent_id) };
}

function isActiveNameClash(caught: unknown): boolean {
	const { code, constraint } = codesOf(caught);
	return code === '23505' && constraint === 'cluster_active_name';
}

/** The unique index on active sibling names is the real guard (it holds under concurrency); say it as a field error. */
export async function guardName<T>(write: Promise<T>, name: string, parentName: string | null): Promise<T> {
	try {
		return await write;
	} catch (caught) {
		if (!isActiveNameClash(caught)) throw caught;
		const message = nameTakenMessage(name, parentName);
		throw invalid(message, { name: [message] });
	}
}

/** Live events telling everyone looking at these clusters (or their districts) to refetch. */
export async function changedEvents(work: Work, clusterIds: (number | null | undefined)[], change: 'tree' | 'renamed' = 'tree') {
	const ids = [...new Set(clusterIds.filter((id): id is number => typeof id === 'number'))];
	if (ids.length === 0) return [];
	const rows = await work.trx.selectFrom('cluster').select(['id', 'version']).where('id', 'in', ids).orderBy('id').execute();
	const renamed = change === 'renamed' ? { renamed: true as const } : {};
	return rows.map((row) => ({ room: clusterRoom(row.id), kind: 'cluster.changed' as const, payload: { clusterId: row.id, version: row.version, ...renamed } }));
}

export const workspaceLink = (clusterId: number) => `/clusters/${clusterId}`;

export function plural(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export interface RoundsRefusal {
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
export async function recordingRoundsRefusal<T>(db: Database, actor: Actor, run: (refuse: (r: RoundsRefusal) => never) => Promise<T>): Promise<T> {
	// Set inside the callback, so held in an object: a plain variable would read as never assigned here.
	const stopped: { by: RoundsRefusal | null } = { by: null };
	try {
		return await run((r) => {
			stopped.by = r;
			throw invalid(r.message);
		});
	} catch (caught) {
		const r = stopped.by;
		if (r) {
			await transact(db, actor.id, (work) =>
				work.record({
					action: r.change === 'merged' ? 'cluster.merge_refused' : 'cluster.retire_refused',
					subject: { type: 'cluster', id: r.cluster.id },
					summary: r.message,
					reason: r.reason,
					detail: { clusterIds: [r.cluster.id, r.cluster.parent_id], openRounds: r.rounds.map((round) => ({ id: round.id, name: round.name })) }
				})
			);
		}
		throw caught;
	}
}
