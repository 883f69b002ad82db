import type { QueryCreator } from 'kysely';
import type { DB } from '../db';

// "A cluster with its parent", said once. A locality hangs under a district; pages, commands and
// the policy keep asking for a cluster together with its district's name.

type Reader = Pick<QueryCreator<DB>, 'selectFrom'>;

/** Every cluster as `c`, joined to its district (if it has one) as `p`: add your own `where` and `select`. */
export function clustersWithParent(db: Reader) {
	return db.selectFrom('cluster as c').leftJoin('cluster as p', 'p.id', 'c.parent_id');
}

/** The columns most readers want: the cluster's own and its district's name as `parent_name`. */
export const CLUSTER_WITH_PARENT = ['c.id', 'c.name', 'c.kind', 'c.status', 'c.parent_id', 'c.version', 'p.name as parent_name'] as const;

/**
 * One cluster with its district's name, or undefined. `lock` takes the cluster's row FOR UPDATE
 * (not the district's), for a command that decides on it and then writes.
 */
export function clusterWithParent(db: Reader, clusterId: number, options: { lock?: boolean } = {}) {
	const query = clustersWithParent(db).select(CLUSTER_WITH_PARENT).where('c.id', '=', clusterId);
	return (options.lock ? query.forUpdate('c') : query).executeTakeFirst();
}
