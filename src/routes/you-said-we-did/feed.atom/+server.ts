import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { publicFilterFrom } from '$lib/server/pcf/public';
import { youSaidWeDidFeed } from '$lib/server/pcf/feed';

/** The newest published points and editions as Atom, with the page's filters (`?district=` and so on). */
export const GET: RequestHandler = async ({ url }) => {
	const { db } = await portal();
	const xml = await youSaidWeDidFeed(db, publicFilterFrom(url), url.search);
	return new Response(xml, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' } });
};
