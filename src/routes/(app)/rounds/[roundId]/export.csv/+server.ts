import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { log } from '$lib/server/log';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { exportFilename, openRoundExport, roundExportCsv } from '$lib/server/bids/export';

/** `?drafts=include` adds drafts (with their working figures); anything else exports submitted bids only. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const roundId = parseId(params.roundId);
	const includeDrafts = url.searchParams.get('drafts') === 'include';
	const { db } = await portal();
	// The policy and the round are checked before the first byte, so a refusal is a proper page.
	const exported = await forPage(openRoundExport(db, actor, roundId, { includeDrafts }));
	const pieces = roundExportCsv(exported);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const next = await pieces.next();
				if (next.done) controller.close();
				else controller.enqueue(encoder.encode(next.value));
			} catch (caught) {
				log.error({ err: caught, roundId }, 'round export failed part way');
				controller.error(caught);
			}
		},
		async cancel() {
			await pieces.return(undefined);
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFilename(roundId, exported.round.name, includeDrafts)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
