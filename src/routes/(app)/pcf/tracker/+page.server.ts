import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { ownDistrictOf, trackerData } from '$lib/server/pcf/tracker';
import { districtFilterPicker } from '$lib/server/pickers';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';
import { trackerFiltersFromQuery } from '$lib/pcf/tracker';

// The feedback tracker: GET filters, so it works without JavaScript and each view has an address.
// The district is found by a search (England has hundreds); the by-district table is paged (`?districts=`).
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const filters = trackerFiltersFromQuery(url.searchParams, ownDistrictOf(actor));
	const cursor = readCursor(url.searchParams.get('districts'), DISTRICT_KEY);
	const tracker = await forPage(trackerData(db, actor, filters, cursor));
	return { tracker, districtPicker: await districtFilterPicker(db, actor, url.searchParams, filters.districtId) };
};
