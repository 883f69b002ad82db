import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { CONSULTATIONS_KEY, consultationListRooms, consultationsFor, workspacesToOpen } from '$lib/server/pcf/consultations';
import { currentSeqs } from '$lib/server/live/server';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	depends('pcf:consultations');
	const liveRooms = consultationListRooms(actor);
	// Each room's number, read before the list, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeqs(db, liveRooms);
	const [consultations, workspaces] = await Promise.all([
		forPage(consultationsFor(db, actor, readCursor(url.searchParams.get('page'), CONSULTATIONS_KEY))),
		workspacesToOpen(db, actor)
	]);
	return { consultations, canOpen: workspaces.length > 0, liveRooms, liveSeq };
};
