import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { feedByToken } from '$lib/server/disputes';

// Open to visitors: a panel member's private calendar feed, which their calendar app fetches with
// the secret link (see disputes/feed.ts). Never cached anywhere; a link that is not ours, stopped,
// replaced or whose member has left the pool is a plain 404, saying nothing about which.
export const GET: RequestHandler = async ({ params }) => {
	const { db } = await portal();
	const ics = await feedByToken(db, params.token);
	if (ics === null) error(404, { message: 'Not found', reason: 'There is no calendar here.' });
	return new Response(ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'inline; filename="panel-meetings.ics"',
			'cache-control': 'private, no-store',
			'x-robots-tag': 'noindex'
		}
	});
};
