import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { createTRPCHandle } from 'trpc-sveltekit';
import { boot, portal } from '$lib/server/boot';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { checkSession } from '$lib/server/auth/session-cache';
import { appRouter } from '$lib/server/trpc/router';
import { createContext } from '$lib/server/trpc/context';
import { log } from '$lib/server/log';
import {
	FORM_TOKEN_FIELD,
	earlierLocation,
	formFingerprint,
	formTokenOf,
	recordFormLocation,
	withFormPost
} from '$lib/server/form-posts';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '$lib/server/db/unavailable';

import { errorReference, INTERNAL_MESSAGE } from '$lib/server/errors';
import { TRPC_PATH } from '$lib/trpc';
import { compressWholeJson } from '$lib/server/compress';

export const MAX_TRPC_BODY = 64 * 1024;
/** Procedures one batched request may run: a page asks for a handful; hundreds would be an attack. */
export const MAX_TRPC_BATCH = 10;

export const init: ServerInit = async () => {
	await boot({ seedDemo: dev, production: !dev });
};

/** Who is asking: one session check per request, then `locals.actor` everywhere. */
const session: Handle = async ({ event, resolve }) => {
	event.locals.actor = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { db } = await portal();
		const validated = await checkSession(db, token).catch((failure: unknown) => {
			// Thrown from here it would skip handleError; a 503 tells the browser and balancer to try again.
			if (isDatabaseUnavailable(failure)) error(503, DATABASE_UNAVAILABLE_MESSAGE);
			throw failure;
		});
		if (validated) {
			event.locals.actor = validated.actor;
			event.locals.session = validated.session;
			// Sliding expiry: the cookie follows the session's (possibly extended) lifetime.
			event.cookies.set(SESSION_COOKIE, token, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				expires: validated.session.expiresAt
			});
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

function apiRefusal(status: number, message: string) {
	return new Response(JSON.stringify({ error: { message, code: -32600 } }), {
		status,
		headers: { 'content-type': 'application/json' }
	});
}

/**
 * The body, read up to `limit` bytes as they arrive, or null once it is longer. `content-length`
 * alone cannot be trusted: a chunked request has none, and a client may send more than it says.
 */
async function bodyWithin(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let next: ReadableStreamReadResult<Uint8Array>;
		try {
			next = await reader.read();
		} catch {
			return null; // the server's own limit ended it
		}
		const { done, value } = next;
		if (done) break;
		size += value.byteLength;
		// Past the limit the rest is read and dropped rather than cancelled: cancelling ends the
		// connection before the 413 can be sent. (The server's own BODY_SIZE_LIMIT still caps it.)
		if (size <= limit) chunks.push(value);
	}
	if (size > limit) return null;
	const body = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}

/** Refuse oversized API bodies and oversized batches before anything parses them. */
const apiLimits: Handle = async ({ event, resolve }) => {
	if (!event.url.pathname.startsWith(`${TRPC_PATH}/`)) return resolve(event);
	// A batch names its procedures in the path, comma-separated: `/api/trpc/a,b,c?batch=1`.
	const procedures = event.url.pathname.slice(TRPC_PATH.length + 1).split(',').length;
	if (procedures > MAX_TRPC_BATCH) {
		return apiRefusal(400, `One request can ask for at most ${MAX_TRPC_BATCH} things at once; this one asked for ${procedures}.`);
	}
	if (event.request.method === 'POST') {
		const tooLarge = () => apiRefusal(413, 'That request is too large. Shorten the text and try again.');
		if (Number(event.request.headers.get('content-length') ?? 0) > MAX_TRPC_BODY) return tooLarge();
		const body = await bodyWithin(event.request, MAX_TRPC_BODY);
		if (body === null) return tooLarge();
		// The counted bytes, not the spent stream, are what tRPC reads.
		event.request = new Request(event.request, { body });
	}
	return resolve(event);
};

/**
 * `connect-src 'self'` alone does not cover WebSockets in every browser, so the page's own origin
 * is named with its WebSocket scheme: this host only, never `ws:` or `wss:` for any host.
 */
function withSocketOrigin(policy: string, url: URL): string {
	const socketOrigin = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
	return policy.replace(/(^|;\s*)connect-src ([^;]*)/, (_, start: string, sources: string) => `${start}connect-src ${sources} ${socketOrigin}`);
}

const securityHeaders: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	let response = await resolve(event);
	if (event.locals.databaseUnavailable && response.status === 500) {
		// handleError saw the database out of reach: the page already says so; the status should too.
		const headers = new Headers(response.headers);
		headers.set('retry-after', '5');
		response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
	}
	const policy = response.headers.get('content-security-policy');
	if (policy) response.headers.set('content-security-policy', withSocketOrigin(policy, event.url));
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	response.headers.set('cross-origin-opener-policy', 'same-origin');
	if (event.url.protocol === 'https:') {
		response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	}
	if (event.locals.actor && !event.url.pathname.startsWith('/_app/')) {
		// Pages with people's details must not sit in shared caches.
		response.headers.set('cache-control', 'private, no-store');
	}
	if (!event.url.pathname.startsWith('/_app/')) {
		log.info(
			{
				method: event.request.method,
				path: event.route.id ?? event.url.pathname,
				status: response.status,
				ms: Math.round(performance.now() - started),
				user: event.locals.actor?.id
			},
			'request'
		);
	}
	return response;
};

/**
 * Form posts carrying a one-time token run with it in scope, so the action's transaction records
 * it (form-posts.ts). A repeat of a post that has already committed goes where the first went.
 */
const formPosts: Handle = async ({ event, resolve }) => {
	const type = event.request.headers.get('content-type') ?? '';
	const isForm = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
	if (event.request.method !== 'POST' || !isForm || !event.route.id || event.url.pathname.startsWith(TRPC_PATH)) return resolve(event);
	let posted: FormData;
	try {
		posted = await event.request.clone().formData();
	} catch {
		// An unreadable body is the action's to refuse.
		return resolve(event);
	}
	const token = formTokenOf(posted.get(FORM_TOKEN_FIELD));
	if (!token) return resolve(event);
	const actionName = [...event.url.searchParams.keys()].find((key) => key.startsWith('/'))?.slice(1) || 'default';
	const formPost = { token, form: `${event.route.id} ${actionName}`, fingerprint: formFingerprint(posted), userId: event.locals.actor?.id ?? null };
	const { db } = await portal();
	const location = await earlierLocation(db, formPost);
	if (location) return repeatedRedirect(event.request, location);
	const { post, result } = withFormPost(formPost, () => resolve(event));
	const response = await result;
	if (post.claimed) {
		await recordFormLocation(db, token, await redirectLocation(response));
	}
	return response;
};

/** The same answer SvelteKit gives a redirecting action: JSON for use:enhance, a 303 otherwise. */
function repeatedRedirect(request: Request, location: string): Response {
	if ((request.headers.get('accept') ?? '').startsWith('application/json')) {
		return new Response(JSON.stringify({ type: 'redirect', status: 303, location }), { headers: { 'content-type': 'application/json' } });
	}
	return new Response(null, { status: 303, headers: { location } });
}

async function redirectLocation(response: Response): Promise<string> {
	if (response.status >= 300 && response.status < 400) return response.headers.get('location') ?? '';
	if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return '';
	const body: unknown = await response.clone().json().catch(() => null);
	return body && typeof body === 'object' && 'type' in body && body.type === 'redirect' && 'location' in body && typeof body.location === 'string' ? body.location : '';
}

const trpc = createTRPCHandle({
	router: appRouter,
	url: TRPC_PATH,
	createContext,
	onError: ({ error, path }) => {
		if (error.code !== 'INTERNAL_SERVER_ERROR') return;
		const cause = error.cause ?? error;
		log.error({ path, reference: errorReference(error), err: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) }, 'tRPC error');
	}
});

/**
 * JSON answers to the browser are compressed whole, in one call (compress.ts). Not SvelteKit's own
 * calls from a load (`isSubRequest`): those are read straight from the Response, never decoded.
 */
const compressJson: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	return event.isSubRequest ? response : compressWholeJson(event.request, response);
};

export const handle = sequence(compressJson, securityHeaders, apiLimits, session, trpc, formPosts);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status < 500) return { message };
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		log.warn({ err: error instanceof Error ? error.message : String(error) }, 'database unavailable');
		return { message: DATABASE_UNAVAILABLE_MESSAGE };
	}
	const reference = errorReference(error);
	log.error({ reference, err: error instanceof Error ? error.stack : String(error) }, 'unhandled error');
	return { message: INTERNAL_MESSAGE, reference };
};
