import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { clustersFor } from '$lib/server/workspace/queries';
import { todoFor } from '$lib/server/todo';
import { ROLE_LABELS } from '$lib/roles';
import { currentSeqs } from '$lib/server/live/server';
import { clusterRoom, userRoom } from '$lib/live/rooms';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const { clusters, more: moreClusters } = await clustersFor(db, actor);
	const liveRooms = [...clusters.map((cluster) => clusterRoom(cluster.id)), userRoom(actor.id)];
	// Each room's number, read before the to-do list, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeqs(db, liveRooms);
	// The to-do list is worked out from the state of the work (each item asks the policy), not from notifications.
	const todo = await todoFor(db, actor);
	return {
		clusters,
		moreClusters,
		todo,
		liveRooms,
		liveSeq,
		roles: [
			...(actor.countyRole ? [ROLE_LABELS[actor.countyRole] + ', Oxfordshire County Council'] : []),
			...actor.settingRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.settingName}`),
			...actor.clusterRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.clusterName} ${r.clusterKind} cluster`)
		]
	};
};
