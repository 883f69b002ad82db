// Lookups in the fixed records of labels and codes, safe for input as keys; plain code, so pages in the browser may use it.

/** A record lookup keyed by input: only the record's own keys, never `constructor` or `__proto__` from its prototype. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string | null | undefined): V | undefined {
	return key != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A record's keys, typed as its keys (`Object.keys` says only `string[]`), as the non-empty tuple
 * `z.enum` takes. The one cast is sound: the keys are read from the record itself, which has at least one.
 */
export const keysOf = <T extends Record<string, unknown>>(record: T) => Object.keys(record) as [keyof T & string, ...(keyof T & string)[]];
