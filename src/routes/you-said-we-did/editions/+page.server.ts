import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { readCursor } from '$lib/server/paging';
import { EDITIONS_KEY, publicEditions } from '$lib/server/pcf/editions';

// Public: families have no accounts, so published editions are readable without signing in.
// Drafts are never listed (the query reads published editions only).
const NOTES: Record<string, string> = {
	subscribed: 'Your email is confirmed. We will email you when a new edition is published.',
	unsubscribed: 'You have unsubscribed. Your email address has been deleted.'
};

export const load: PageServerLoad = async ({ url, setHeaders }) => {
	const { db } = await portal();
	const editions = await publicEditions(db, readCursor(url.searchParams.get('page'), EDITIONS_KEY));
	setHeaders({ 'cache-control': 'public, max-age=0, must-revalidate' });
	const note = url.searchParams.get('done');
	return { editions, note: note && Object.hasOwn(NOTES, note) ? NOTES[note] : null };
};
