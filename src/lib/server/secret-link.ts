import { error } from '@sveltejs/kit';

// Pages opened by a link from an email (an invitation, a password reset): holding the link is what
// lets someone in, so the page is kept out of shared caches, and a dead link gets its own page
// saying why and what to do: 410 Gone once used, expired or withdrawn, 404 when it was never ours.

type Problems<P extends string> = Record<P, { title: string; message: string }>;
type Lookup<T, P extends string> = ({ ok: true } & T) | { ok: false; problem: P };

/** The error page for a link that no longer works. */
export function deadLink<P extends string>(problems: Problems<P>, problem: P): never {
	const { title, message } = problems[problem];
	error(problem === 'unknown' ? 404 : 410, { message: title, reason: message });
}

/** What the link opens, or its dead-link page. `setHeaders` (page loads) keeps the page out of caches. */
export async function openLink<T, P extends string>(
	lookup: Promise<Lookup<T, P>>,
	problems: Problems<P>,
	setHeaders?: (headers: Record<string, string>) => void
): Promise<{ ok: true } & T> {
	setHeaders?.({ 'cache-control': 'private, no-store' });
	const found = await lookup;
	if (!found.ok) deadLink(problems, found.problem);
	return found;
}
