import { error, redirect } from '@sveltejs/kit';
import type { Actor } from './auth/actor';
import { DomainError, httpStatus } from './errors';
import { assertCan, type PolicyCheck } from './policy';
import { idFromText } from '$lib/schemas/common';

/** A signed-in person, or off to the sign-in page. For page loads and form actions. */
export function requireActor(locals: App.Locals, url: URL): Actor {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.actor;
}

/** The 403 page, saying why (the policy's or the feature's own words). */
export function forbiddenPage(reason: string): never {
	error(403, { message: 'You do not have access to this', reason });
}

/** A feature's refusal as its error page: the 403 page says why, the others say what went wrong. */
export function refusalPage(caught: DomainError): never {
	const status = httpStatus[caught.code];
	if (status === 403) forbiddenPage(caught.message);
	error(status, { message: caught.message });
}

/** A feature's refusals, thrown while `run` works for a page, as the 404 and 403 pages. */
function asPage<T>(run: () => T): T {
	try {
		return run();
	} catch (caught) {
		if (caught instanceof DomainError) refusalPage(caught);
		throw caught;
	}
}

/** `assertCan` for a page load: a refusal is the 403 page saying why. */
export const requirePermission = (actor: Actor, check: PolicyCheck): void => asPage(() => assertCan(actor, check));

/** Runs a feature query for a page, turning its refusals into the 404 and 403 pages. */
export async function forPage<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (caught) {
		if (caught instanceof DomainError) refusalPage(caught);
		throw caught;
	}
}

/** An id from the address; anything that cannot name a row (`abc`, `-1`, `1e3`, beyond int4) is a 404. */
export function parseId(value: string): number {
	const id = idFromText(value);
	if (id === null) error(404, { message: 'Page not found' });
	return id;
}
