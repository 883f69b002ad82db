import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { disputesReport, reportCsv, reportFiltersFrom } from '$lib/server/disputes';

// The governance figures, with the same filters and the same suppression, as a CSV download.
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const report = await forPage((async () => disputesReport(db, actor, reportFiltersFrom(url.searchParams)))());
	const name = `dispute-panels-${report.district.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${report.year}.csv`;
	return new Response(reportCsv(report), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'no-store'
		}
	});
};
