import { z } from 'zod';
import { INT4_MAX } from './limits';

export { INT4_MAX };

// The building blocks every feature's schemas use, so hostile input is refused the same way
// everywhere: with a field error, before it reaches PostgreSQL (which would answer with a 500).

const OUT_OF_DATE = 'This page is out of date. Reload it and try again.';

/** A row id: a whole number from 1 to the int4 maximum. Anything else names nothing we hold. */
export const idSchema = (message = 'That could not be found. Reload the page and try again.') =>
	z.number({ error: message }).int(message).positive(message).max(INT4_MAX, message);

/** A version or counter carried by a page (never typed by a person): 0 up to the int4 maximum. */
export const versionSchema = (message = OUT_OF_DATE, min = 0) =>
	z.number({ error: message }).int(message).min(min, message).max(INT4_MAX, message);

/**
 * PostgreSQL refuses U+0000 in text; lone UTF-16 surrogates cannot be encoded faithfully either
 * (they would be stored as U+FFFD). Neither is ever typed on purpose, so both are refused.
 */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function storableText(value: string): boolean {
	return !UNSTORABLE.test(value);
}

export const UNSTORABLE_TEXT = 'Remove the invisible control characters from this text and try again.';

/** Any free text from a person or an address: refused with a field error if PostgreSQL could not store it. */
export const textSchema = (error?: string) => z.string(error === undefined ? undefined : { error }).refine(storableText, UNSTORABLE_TEXT);

/** Strict parse of an id in a URL or form field: digits only, no sign, exponent, spaces or leading zeros. */
export function idFromText(value: string | null | undefined): number | null {
	if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
	const id = Number(value);
	return id <= INT4_MAX ? id : null;
}

export { keysOf, ownValue } from '$lib/records';

/** Whether input names one of the record's own keys (a type guard, unlike `in`, which walks the prototype). */
export function isOwnKey<K extends string>(record: Readonly<Record<K, unknown>>, key: unknown): key is K {
	return typeof key === 'string' && Object.hasOwn(record, key);
}
