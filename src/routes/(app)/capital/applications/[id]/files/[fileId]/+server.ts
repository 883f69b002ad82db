import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { downloadEvidence } from '$lib/server/capital/applications';

// An evidence file, only through the policy: always as an attachment with the type its content
// was found to be (never the browser's word), never sniffed again by the browser. Each look is logged.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const file = await forPage(downloadEvidence(db, actor, parseId(params.id), parseId(params.fileId)));
	const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return new Response(new Uint8Array(file.content), {
		headers: {
			'Content-Type': file.media_type,
			'Content-Length': String(file.size_bytes),
			'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
};
