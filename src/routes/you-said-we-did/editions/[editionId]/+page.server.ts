import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId } from '$lib/server/pages';
import { publicEdition } from '$lib/server/pcf/editions';
import { absoluteUrl } from '$lib/server/origin';

// Public: a published edition, readable and printable without signing in. A draft is not found,
// as if it did not exist.
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { db } = await portal();
	const page = await forPage(publicEdition(db, parseId(params.editionId)));
	setHeaders({ 'cache-control': 'public, max-age=0, must-revalidate' });
	// Whole addresses, so a printed copy says where to go.
	return { ...page, links: { points: absoluteUrl('/you-said-we-did'), subscribe: absoluteUrl('/you-said-we-did/subscribe') } };
};
