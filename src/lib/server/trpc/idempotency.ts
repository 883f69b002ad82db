import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { withFormPost } from '../form-posts';

// An API client that may send a change twice (a retry after a timeout, a double click in a script's
// UI) names the change with an `Idempotency-Key` header. The key rides the same path as a form's
// one-time token (form-posts.ts): the command's transaction records it in `form_submission`, and a
// repeat with the same key from the same person waits for the first, then gets the first's answer
// instead of making a second row. Without the header a call behaves as it always did.

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Visible ASCII, as HTTP header values allow; long enough for a UUID or a client's own scheme. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The key a request carries, as sent (checked when a mutation uses it), or undefined without one. */
export function idempotencyKeyOf(headers: Headers): string | undefined {
	return headers.get(IDEMPOTENCY_HEADER) ?? undefined;
}

/** JSON with object keys sorted, so the same input sent with its fields in another order is the same call. */
function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, field: unknown) =>
		field && typeof field === 'object' && !Array.isArray(field)
			? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: field
	);
}

/**
 * The key as a form-token-shaped id, per person: two people who happen to choose the same key never
 * meet (nor learn that the other used it), and the token column stays a UUID.
 */
function tokenFor(key: string, userId: number): string {
	const hex = createHash('sha256').update(`api-idempotency\0${userId}\0${key}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Runs one mutation with its key in scope, so the command's first transaction claims it. The same
 * key with another procedure or other input is refused (CONFLICT), as a stale form token is.
 */
export function withIdempotencyKey<T>(call: { key: string; userId: number; procedure: string; input: unknown }, run: () => Promise<T>): Promise<T> {
	if (!KEY.test(call.key)) {
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: 'The Idempotency-Key header must be 1 to 255 letters, digits or symbols, without spaces (a UUID is a good choice).'
		});
	}
	const post = {
		token: tokenFor(call.key, call.userId),
		form: `api ${call.procedure}`,
		fingerprint: createHash('sha256').update(canonicalJson(call.input ?? null)).digest('hex'),
		userId: call.userId
	};
	return withFormPost(post, run).result;
}
