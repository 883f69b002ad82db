import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { CONSULTATIONS_KEY, consultationListRooms, consultationsFor, workspacesToOpen } from '$lib/server/pcf/consultations';
import { currentSeq } from '$lib/server/live/server';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	depends('pcf:consultations');
	const liveRooms = consultationListRooms(actor);
	// Read before the list, so whatever commits after it is replayed when the page connects (one room's can be).
	const liveSeq = liveRooms.length === 1 ? await currentSeq(db, liveRooms[0]) : undefined;
	const [consultations, workspaces] = await Promise.all([
		forPage(consultationsFor(db, actor, readCursor(url.searchParams.get('page'), CONSULTATIONS_KEY))),
		workspacesToOpen(db, actor)
	]);
	return { consultations, canOpen: workspaces.length > 0, liveRooms, liveSeq };
};
