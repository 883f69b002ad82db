import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { publicSummary } from '$lib/server/capital/dashboard';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';

// Public: the Local Offer links here, so it is readable without signing in. It shows counts and
// sums only (no setting, no person, no child), and how parents were involved in words officers wrote.
// Districts come a page at a time, by name (`?districts=`).
export const load: PageServerLoad = async ({ setHeaders, url }) => {
	const { db } = await portal();
	setHeaders({ 'cache-control': 'public, max-age=300' });
	return { summary: await publicSummary(db, readCursor(url.searchParams.get('districts'), DISTRICT_KEY)) };
};
