import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { groupsFor } from '$lib/server/pcf/queries';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { groups: await forPage(groupsFor(db, actor)) };
};
