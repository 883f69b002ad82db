/**
 * A refusal or failure a person can act on, raised by feature modules and turned into a tRPC
 * error or a form's error summary at the edge. Messages are written for headteachers, not developers.
 */
export type DomainErrorCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

export class DomainError extends Error {
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly fieldErrors?: Record<string, string[]>
	) {
		super(message);
		this.name = 'DomainError';
	}
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} could not be found. It may have been removed.`);
export const forbidden = (reason: string) => new DomainError('FORBIDDEN', reason);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const invalid = (message: string, fieldErrors?: Record<string, string[]>) =>
	new DomainError('BAD_REQUEST', message, fieldErrors);

/** HTTP status for a page or form action refusing with this error. */
export const httpStatus: Record<DomainErrorCode, number> = {
	BAD_REQUEST: 400,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	TOO_MANY_REQUESTS: 429
};

// ——— Internal errors ———
// A failure nobody can act on (a database error, a bug) answers with these words and a reference.
// The reference is also on the log line, so support can find the detail; the detail itself
// (PostgreSQL's message, a stack) never leaves the server.

export const INTERNAL_MESSAGE = 'Sorry, there is a problem with the portal. Try again later.';

const references = new WeakMap<object, string>();

/** The one reference for this error: the same for its log line and its answer, whichever asks first. */
export function errorReference(error: unknown): string {
	if (typeof error !== 'object' || error === null) return crypto.randomUUID();
	let reference = references.get(error);
	if (!reference) references.set(error, (reference = crypto.randomUUID()));
	return reference;
}

/** A thrown value's message, for a log line: whatever was thrown, never a failure of its own. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The code of a thrown error (PostgreSQL's `23505`: a unique key refused the row; Node's `EPERM`)
 * and, for PostgreSQL, the constraint; empty for anything else thrown.
 */
export function codesOf(error: unknown): { code?: string; constraint?: string } {
	if (typeof error !== 'object' || error === null) return {};
	const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
	const constraint = 'constraint' in error && typeof error.constraint === 'string' ? error.constraint : undefined;
	return { code, constraint };
}
