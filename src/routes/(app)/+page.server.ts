import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { clustersFor } from '$lib/server/workspace/queries';
import { todoFor } from '$lib/server/todo';
import { ROLE_LABELS } from '$lib/roles';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	// The to-do list is worked out from the state of the work (each item asks the policy), not from notifications.
	const [clusters, todo] = await Promise.all([clustersFor(db, actor), todoFor(db, actor)]);
	return {
		clusters,
		todo,
		roles: [
			...(actor.countyRole ? [ROLE_LABELS[actor.countyRole] + ', Oxfordshire County Council'] : []),
			...actor.settingRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.settingName}`),
			...actor.clusterRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.clusterName} ${r.clusterKind} cluster`)
		]
	};
};
