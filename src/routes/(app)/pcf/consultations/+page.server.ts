import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { CONSULTATIONS_KEY, consultationsFor, workspacesToOpen } from '$lib/server/pcf/consultations';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [consultations, workspaces] = await Promise.all([
		forPage(consultationsFor(db, actor, readCursor(url.searchParams.get('page'), CONSULTATIONS_KEY))),
		workspacesToOpen(db, actor)
	]);
	return { consultations, canOpen: workspaces.length > 0 };
};
