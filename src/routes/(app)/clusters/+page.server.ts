import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { clusterDirectory, DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return clusterDirectory(db, actor, readCursor(url.searchParams.get('page'), DISTRICT_KEY));
};
