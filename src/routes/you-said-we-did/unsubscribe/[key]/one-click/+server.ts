import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { unsubscribe } from '$lib/server/pcf/subscriptions';

/**
 * RFC 8058 one-click unsubscribe: a mail program POSTs `List-Unsubscribe=One-Click` here, with no
 * page and no cookies. The key is the only credential; the answer is the same whether or not it
 * named a subscription. (node-server.js lets this one cross-site form POST past SvelteKit's check.)
 */
export const POST: RequestHandler = async ({ params }) => {
	const { db } = await portal();
	await unsubscribe(db, params.key);
	return new Response('Unsubscribed. Your email address has been deleted.\n', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
};
