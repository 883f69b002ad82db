import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { clustersFor } from '$lib/server/workspace/queries';
import { listNotifications } from '$lib/server/notifications';
import { ROLE_LABELS } from '$lib/roles';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [clusters, notifications] = await Promise.all([clustersFor(db, actor), listNotifications(db, actor, 20)]);
	return {
		clusters,
		attention: notifications.filter((n) => !n.read_at).slice(0, 5),
		roles: [
			...(actor.countyRole ? [ROLE_LABELS[actor.countyRole] + ', Oxfordshire County Council'] : []),
			...actor.settingRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.settingName}`),
			...actor.clusterRoles.map((r) => `${ROLE_LABELS[r.role]}, ${r.clusterName} ${r.clusterKind} cluster`)
		]
	};
};
