import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { downloadPaper } from '$lib/server/disputes';

// A case paper, only through the policy (the panel only once it was redacted and shared): always as
// an attachment with the type its content was found to be, never sniffed again by the browser.
// Each download, or refusal, is logged on the case.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const paper = await forPage(downloadPaper(db, actor, parseId(params.id), parseId(params.paperId)));
	const ascii = paper.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return new Response(new Uint8Array(paper.content), {
		headers: {
			'Content-Type': paper.media_type,
			'Content-Length': String(paper.size_bytes),
			'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(paper.name)}`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
};
