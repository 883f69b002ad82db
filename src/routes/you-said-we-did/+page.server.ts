import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { readCursor } from '$lib/server/paging';
import { PUBLIC_POINTS_KEY, publicChoices, publicPoints, publicStamp } from '$lib/server/pcf/queries';
import { publicFilterFrom } from '$lib/server/pcf/public';
import { publicDistrictPicker } from '$lib/server/pickers';

// Public: families have no accounts, so "you said, we did" is readable without signing in. It
// shows only points an officer and the PCF lead both checked, and never a name.
export const load: PageServerLoad = async ({ url, setHeaders }) => {
	const { db } = await portal();
	const filter = publicFilterFrom(url);
	const [page, choices, stamp, districtPicker] = await Promise.all([
		publicPoints(db, filter, readCursor(url.searchParams.get('page'), PUBLIC_POINTS_KEY)),
		publicChoices(db, filter),
		publicStamp(db, filter.districtId),
		// The district is found by a search (England has hundreds); without JavaScript, `?districtQuery=`.
		publicDistrictPicker(db, { query: url.searchParams.get('districtQuery'), chosen: filter.districtId })
	]);
	setHeaders({ 'cache-control': 'public, max-age=0, must-revalidate' });
	return { ...page, choices, districtPicker, filter, stamp };
};
