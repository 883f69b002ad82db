import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { dashboardData, filtersFromQuery } from '$lib/server/capital/dashboard';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	depends('capital:dashboard');
	const { db } = await portal();
	const seq = await currentSeq(db, programmeRoom);
	return { ...(await forPage(dashboardData(db, actor, filtersFromQuery(url.searchParams)))), seq };
};
