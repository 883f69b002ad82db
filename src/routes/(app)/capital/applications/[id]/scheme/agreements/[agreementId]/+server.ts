import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { downloadAgreement } from '$lib/server/capital/scheme';

// A scheme's funding agreement as a PDF, only through the policy, as an attachment; each look is logged.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const agreement = await forPage(downloadAgreement(db, actor, parseId(params.id), parseId(params.agreementId)));
	return new Response(new Uint8Array(agreement.content), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(agreement.content.byteLength),
			'Content-Disposition': `attachment; filename="${agreement.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
};
