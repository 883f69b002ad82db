import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { childClusters, feedForReader, localitiesForReader, workspaceActivity, workspaceCluster } from '$lib/server/workspace/queries';
import { MEMBER_KEY, SETTING_KEY, workspaceMembers, workspaceSettings } from '$lib/server/workspace/lists';
import { readCursor } from '$lib/server/paging';
import { can } from '$lib/server/policy';
import { roundsForCluster } from '$lib/server/bids/queries';
import { currentSeq } from '$lib/server/live/server';
import { clusterRoom } from '$lib/live/rooms';
import { workspaceFlaggedCases } from '$lib/server/disputes';
import { workspaceConsultations } from '$lib/server/pcf/consultations';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const cluster = await forPage(workspaceCluster(db, actor, parseId(params.id)));
	// What a live event about this workspace reloads (the page alone, not the layouts above it).
	depends(`workspace:${cluster.id}`);
	// Each long list pages on its own parameter, so paging one keeps the other where it was.
	const settingsCursor = readCursor(url.searchParams.get('settings'), SETTING_KEY);
	const membersCursor = readCursor(url.searchParams.get('members'), MEMBER_KEY);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, clusterRoom(cluster.id));
	const [localities, members, settings, activity, rounds, disputeFlags, consultations] = await Promise.all([
		childClusters(db, cluster.id),
		workspaceMembers(db, cluster, membersCursor),
		workspaceSettings(db, cluster.id, settingsCursor),
		workspaceActivity(db, cluster.id),
		roundsForCluster(db, cluster.id),
		// The district's SENDIASS officers only (null for everyone else, who are not told the count).
		workspaceFlaggedCases(db, actor, cluster),
		workspaceConsultations(db, actor, { clusterId: cluster.id, clusterName: cluster.name, districtId: cluster.parentId ?? cluster.id })
	]);
	// Links only to what this reader may open (a school's staff see their district, not its other localities).
	const canOpenParent =
		cluster.parentId !== null &&
		can(actor, { action: 'workspace.view', cluster: { id: cluster.parentId, name: cluster.parentName ?? '', kind: 'district' } }).allowed;
	return {
		liveSeq,
		cluster,
		canOpenParent,
		localities: localitiesForReader(actor, localities),
		members,
		settings,
		activity: feedForReader(actor, activity),
		rounds,
		// From the remembered cluster row; the policy is asked on every request.
		canOpenRound: can(actor, { action: 'round.open', cluster }).allowed,
		disputeFlags,
		consultations
	};
};
