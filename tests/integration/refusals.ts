import { expect } from 'vitest';
import { DomainError, type DomainErrorCode } from '../../src/lib/server/errors';

/** The call is refused with a DomainError of this code (and a message matching `text`, if given); returns it. */
export async function expectRefused(call: Promise<unknown>, code: DomainErrorCode, text?: RegExp): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the call should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	if (text) expect((caught as DomainError).message).toMatch(text);
	return caught as DomainError;
}
