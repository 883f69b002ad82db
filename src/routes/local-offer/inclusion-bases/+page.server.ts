import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { publicSummary } from '$lib/server/capital/dashboard';

// Public: the Local Offer links here, so it is readable without signing in. It shows counts and
// sums only (no setting, no person, no child), and how parents were involved in words officers wrote.
export const load: PageServerLoad = async ({ setHeaders }) => {
	const { db } = await portal();
	setHeaders({ 'cache-control': 'public, max-age=300' });
	return { summary: await publicSummary(db) };
};
