import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { portal } from '$lib/server/boot';
import { idFromText } from '$lib/schemas/common';
import { publicStamp } from '$lib/server/pcf/queries';

/** What the public page polls: a stamp that changes when anything it shows changes (no content, no ids). */
export const GET: RequestHandler = async ({ url }) => {
	const { db } = await portal();
	return json({ stamp: await publicStamp(db, idFromText(url.searchParams.get('district'))) }, { headers: { 'cache-control': 'no-store' } });
};
