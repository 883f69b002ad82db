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
