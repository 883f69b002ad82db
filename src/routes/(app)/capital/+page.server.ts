import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { programmeOverview } from '$lib/server/capital';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	depends('capital:programme');
	const { db } = await portal();
	// The room's number before the read, so a change committed in between is replayed.
	const seq = await currentSeq(db, programmeRoom);
	return { ...(await forPage(programmeOverview(db, actor))), seq };
};
