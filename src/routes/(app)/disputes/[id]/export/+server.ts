import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { subjectAccessExport } from '$lib/server/disputes';

// A subject access export of one case, third parties redacted: ?format=json (the default) or csv. Logged on the case.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const format = url.searchParams.get('format') === 'csv' ? 'csv' : 'json';
	const { reference, body } = await forPage(subjectAccessExport(db, actor, parseId(params.id), format));
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="subject-access-${reference}.${format}"`,
			'cache-control': 'private, no-store'
		}
	});
};
