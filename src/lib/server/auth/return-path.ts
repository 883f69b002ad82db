/**
 * Where to send someone after signing in (or any other `next`/return address taken from a
 * request). Only a path on this site is followed; anything else goes home. Browsers forgive a
 * lot (`/\evil`, a tab or newline inside `//evil`, `https:evil`), so rather than list the tricks
 * this refuses backslashes, whitespace and control characters outright, then resolves what is
 * left against a placeholder origin and keeps it only if it is still on that origin. What it
 * returns is the parsed, percent-encoded path, which is always a safe Location header.
 */
const PLACEHOLDER = new URL('https://portal.invalid');
const MAX_LENGTH = 2048;

export function safeReturnPath(value: unknown): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return '/';
	if (!value.startsWith('/') || value.startsWith('//')) return '/';
	// \s covers Unicode spaces; \p{C} covers control, format (e.g. zero-width) and unassigned characters.
	if (/[\\\s\p{C}]/u.test(value)) return '/';
	let url: URL;
	try {
		url = new URL(value, PLACEHOLDER);
	} catch {
		return '/';
	}
	if (url.origin !== PLACEHOLDER.origin || url.username || url.password) return '/';
	const path = `${url.pathname}${url.search}${url.hash}`;
	// The parsed path must still be a single-slash path (dot segments cannot make `//` but check anyway).
	return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
