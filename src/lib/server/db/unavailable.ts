/**
 * Is this error the database being out of reach (restarting, failing over, refusing connections),
 * rather than something wrong with the request? Such errors answer 503 with a generic message,
 * and the next request tries again on a fresh connection.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now).
const SERVER_CODES = /^(08...|57P0[123])$/;
const MESSAGES = [
	'Connection terminated',
	'timeout exceeded when trying to connect',
	'Client has encountered a connection error',
	'Client was closed and is not queryable',
	'the database system is starting up',
	'the database system is shutting down',
	'the database system is in recovery mode'
];

export const DATABASE_UNAVAILABLE_MESSAGE = 'The portal cannot reach its database just now. Try again in a minute.';

export function isDatabaseUnavailable(error: unknown): boolean {
	// Follow `cause` (Kysely, tRPC and our own wrappers keep the original there), at most a few levels.
	for (let current = error, depth = 0; current && depth < 6; depth++) {
		if (typeof current !== 'object') return false;
		const code = 'code' in current ? current.code : undefined;
		const message = 'message' in current ? current.message : undefined;
		const cause = 'cause' in current ? current.cause : undefined;
		if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
		if (typeof message === 'string' && MESSAGES.some((known) => message.includes(known))) return true;
		if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
		current = cause;
	}
	return false;
}
