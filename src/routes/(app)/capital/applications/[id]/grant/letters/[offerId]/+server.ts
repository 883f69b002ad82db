import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { downloadGrantLetter } from '$lib/server/capital/grant';

// A grant letter as a PDF, only through the policy, as an attachment; each look is logged.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const letter = await forPage(downloadGrantLetter(db, actor, parseId(params.id), parseId(params.offerId)));
	return new Response(new Uint8Array(letter.content), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(letter.content.byteLength),
			'Content-Disposition': `attachment; filename="${letter.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
};
