import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { dashboardData, filtersFromQuery } from '$lib/server/capital/dashboard';
import { districtFilterPicker } from '$lib/server/pickers';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	depends('capital:dashboard');
	const { db } = await portal();
	const seq = await currentSeq(db, programmeRoom);
	const filters = filtersFromQuery(url.searchParams);
	const figures = await forPage(dashboardData(db, actor, filters, readCursor(url.searchParams.get('districts'), DISTRICT_KEY)));
	// The district is found by a search (England has hundreds); the places-by-district table is paged (`?districts=`).
	return { ...figures, seq, districtPicker: await districtFilterPicker(db, actor, url.searchParams, figures.filters.districtId) };
};
