import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { ownDistrictOf, trackerCsv, trackerData } from '$lib/server/pcf/tracker';
import { trackerFiltersFromQuery } from '$lib/pcf/tracker';

// The tracker's figures, under the same filters, as a CSV download.
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const tracker = await forPage(trackerData(db, actor, trackerFiltersFromQuery(url.searchParams, ownDistrictOf(actor)), 'all'));
	return new Response(trackerCsv(tracker), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="pcf-feedback-tracker.csv"',
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
