// Small reads the bid and round pages need beyond the feature queries: whether a person may open
// a funding round for a cluster (asked of the policy), and a cluster's name for breadcrumbs.
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { can, type Decision } from '../policy';
import { notFound } from '../errors';

export interface RoundOpening {
	cluster: { id: number; name: string; kind: string; status: string; parentId: number | null; parentName: string | null };
	/** The policy's `round.open` (never for a retired cluster). */
	decision: Decision;
}

export async function roundOpening(db: Database, actor: Actor, clusterId: number): Promise<RoundOpening> {
	const row = await db
		.selectFrom('cluster as c')
		.leftJoin('cluster as p', 'p.id', 'c.parent_id')
		.select(['c.id', 'c.name', 'c.kind', 'c.status', 'c.parent_id', 'p.name as parent_name', 'c.leads_may_open_rounds'])
		.where('c.id', '=', clusterId)
		.executeTakeFirst();
	if (!row) throw notFound('That cluster');
	const cluster = { id: row.id, name: row.name, kind: row.kind, status: row.status, parentId: row.parent_id, parentName: row.parent_name };
	const decision = can(actor, { action: 'round.open', cluster: { ...cluster, leadsMayOpenRounds: row.leads_may_open_rounds } });
	return { cluster, decision };
}

export async function clusterName(db: Database, clusterId: number): Promise<string> {
	const row = await db.selectFrom('cluster').select('name').where('id', '=', clusterId).executeTakeFirst();
	return row?.name ?? 'Cluster';
}
