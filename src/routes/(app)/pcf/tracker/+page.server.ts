import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { ownDistrictOf, trackerData } from '$lib/server/pcf/tracker';
import { trackerFiltersFromQuery } from '$lib/pcf/tracker';

// The feedback tracker: GET filters, so it works without JavaScript and each view has an address.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { tracker: await forPage(trackerData(db, actor, trackerFiltersFromQuery(url.searchParams, ownDistrictOf(actor)))) };
};
