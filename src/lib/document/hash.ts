// A frozen snapshot's fingerprint: the same content always gives the same hash, on the server and
// in the browser, whatever order its keys were written in. SHA-256 from @oslojs/crypto (already the
// session code's hash) rather than Web Crypto, because it is synchronous: a page can show or compare
// a hash inside `$derived` and a command inside its transaction without awaiting, and the same
// function runs in both places.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/**
 * JSON with object keys sorted at every depth, so two equal contents serialise alike. Array order
 * is kept (it is meaningful: budget lines, milestones). `undefined` properties are left out, as
 * `JSON.stringify` and a jsonb column both do, so a snapshot hashes the same after a round trip.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		const json = JSON.stringify(value);
		if (json === undefined) throw new TypeError('A snapshot holds only JSON values');
		return json;
	}
	if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
	if (value instanceof Date) return JSON.stringify(value);
	const entries = Object.entries(value)
		.filter(([, item]) => item !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The hex SHA-256 of the content's canonical JSON. */
export function snapshotHash(content: unknown): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonicalJson(content))));
}
