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
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '$lib/server/db/unavailable';

import { TRPC_PATH } from '$lib/trpc';
const MAX_TRPC_BODY = 64 * 1024;

export const init: ServerInit = async () => {
	await boot({ seedDemo: dev });
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

/** Refuse oversized API bodies before anything parses them. */
const bodyLimit: Handle = async ({ event, resolve }) => {
	if (event.url.pathname.startsWith(TRPC_PATH) && event.request.method === 'POST') {
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_TRPC_BODY) {
			return new Response(
				JSON.stringify({ error: { message: 'That request is too large. Shorten the text and try again.', code: -32600 } }),
				{ status: 413, headers: { 'content-type': 'application/json' } }
			);
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	let response = await resolve(event);
	if (event.locals.databaseUnavailable && response.status === 500) {
		// handleError saw the database out of reach: the page already says so; the status should too.
		const headers = new Headers(response.headers);
		headers.set('retry-after', '5');
		response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
	}
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

const trpc = createTRPCHandle({
	router: appRouter,
	url: TRPC_PATH,
	createContext,
	onError: ({ error, path }) => {
		if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ path, err: error.message }, 'tRPC error');
	}
});

export const handle = sequence(securityHeaders, bodyLimit, session, trpc);

export const handleError: HandleServerError = ({ error: failure, event, status, message }) => {
	if (status >= 500 && isDatabaseUnavailable(failure)) {
		event.locals.databaseUnavailable = true;
		log.warn({ err: failure instanceof Error ? failure.message : String(failure) }, 'database unavailable');
		return { message: DATABASE_UNAVAILABLE_MESSAGE };
	}
	if (status >= 500) log.error({ err: failure instanceof Error ? failure.stack : String(failure) }, 'unhandled error');
	return { message: status >= 500 ? 'Sorry, there is a problem with the portal. Try again later.' : message };
};
