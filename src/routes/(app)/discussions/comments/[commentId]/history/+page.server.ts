import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { commentHistory } from '$lib/server/discussions';

// An edited comment's history: what it says now and each earlier text, for whoever may see the discussion.

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return forPage(commentHistory(db, actor, parseId(params.commentId)));
};
