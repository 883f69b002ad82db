import { error, redirect } from '@sveltejs/kit';
import type { Actor } from './auth/actor';
import { DomainError, httpStatus } from './errors';
import { can, type PolicyCheck } from './policy';

/** A signed-in person, or off to the sign-in page. For page loads and form actions. */
export function requireActor(locals: App.Locals, url: URL): Actor {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.actor;
}

/** Ask the policy; refuse with a 403 page that says why. */
export function requirePermission(actor: Actor, check: PolicyCheck): void {
	const decision = can(actor, check);
	if (!decision.allowed) error(403, { message: 'You do not have access to this', reason: decision.reason });
}

/** Runs a feature query for a page, turning its refusals into the 404 and 403 pages. */
export async function forPage<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (caught) {
		if (caught instanceof DomainError) {
			const status = httpStatus[caught.code];
			if (status === 403) error(403, { message: 'You do not have access to this', reason: caught.message });
			error(status, { message: caught.message });
		}
		throw caught;
	}
}

export function parseId(value: string): number {
	const id = Number(value);
	if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) error(404, { message: 'Page not found' });
	return id;
}
