import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { themesCsv } from '$lib/server/pcf/queries';

/** The theme list in the columns of OxPCF's tracker (see themesToCsv). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const csv = await forPage(themesCsv(db, actor));
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="pcf-themes.csv"', 'cache-control': 'private, no-store' }
	});
};
