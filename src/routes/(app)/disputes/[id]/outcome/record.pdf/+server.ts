import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { outcomeRecordPdf } from '$lib/server/disputes';

// The written outcome record for the officer to send both parties; each download is logged on the case.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const { reference, pdf } = await forPage(outcomeRecordPdf(db, actor, parseId(params.id)));
	return new Response(new Uint8Array(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="outcome-${reference}.pdf"`, 'cache-control': 'private, no-store' }
	});
};
