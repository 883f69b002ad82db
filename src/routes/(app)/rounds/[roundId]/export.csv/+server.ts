import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { exportFilename, roundExportCsv, roundExportRows } from '$lib/server/bids/export';

export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const roundId = parseId(params.roundId);
	const { db } = await portal();
	const { roundName, rows } = await forPage(roundExportRows(db, actor, roundId));
	return new Response(roundExportCsv(rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFilename(roundId, roundName)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
