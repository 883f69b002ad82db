import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { childClusters, workspaceActivity, workspaceCluster, workspaceMembers, workspaceSettings } from '$lib/server/workspace/queries';
import { roundsForCluster } from '$lib/server/bids/queries';
import { roundOpening } from '$lib/server/bids/pages';
import { currentSeq } from '$lib/server/live/server';
import { clusterRoom } from '$lib/live/events';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const cluster = await forPage(workspaceCluster(db, actor, parseId(params.id)));
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, clusterRoom(cluster.id));
	const [localities, members, settings, activity, rounds, opening] = await Promise.all([
		childClusters(db, cluster.id),
		workspaceMembers(db, cluster),
		workspaceSettings(db, cluster.id),
		workspaceActivity(db, cluster.id),
		roundsForCluster(db, cluster.id),
		roundOpening(db, actor, cluster.id)
	]);
	return { liveSeq, cluster, localities, members, settings, activity, rounds, canOpenRound: opening.decision.allowed };
};
