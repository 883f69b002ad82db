import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { QUEUE_KEY, assessQueue } from '$lib/server/capital/assessment';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { queue: await forPage(assessQueue(db, actor, readCursor(url.searchParams.get('page'), QUEUE_KEY))) };
};
