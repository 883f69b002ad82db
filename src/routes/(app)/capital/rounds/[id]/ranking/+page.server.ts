import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { RANKING_KEY, rankingPage } from '$lib/server/capital/assessment';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { ranking: await forPage(rankingPage(db, actor, parseId(params.id), readCursor(url.searchParams.get('page'), RANKING_KEY))) };
};
