import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { cursorFrom } from '$lib/server/keyset';
import { assessQueue } from '$lib/server/capital/assessment';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { queue: await forPage(assessQueue(db, actor, cursorFrom(url))) };
};
