import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { dashboardCsv, dashboardFigures, filtersFromQuery } from '$lib/server/capital/dashboard';

// The dashboard's figures, with the same filters, as a CSV download.
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const figures = await forPage(dashboardFigures(db, actor, filtersFromQuery(url.searchParams)));
	return new Response(dashboardCsv(figures), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="sufficiency-dashboard.csv"',
			'x-content-type-options': 'nosniff',
			'cache-control': 'no-store'
		}
	});
};
