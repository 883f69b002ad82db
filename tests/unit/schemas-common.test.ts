import { describe, expect, it } from 'vitest';
import { idFromText, idSchema, isOwnKey, ownValue, storableText, textSchema, versionSchema, INT4_MAX } from '../../src/lib/schemas/common';
import { splitRoom } from '../../src/lib/live/rooms';
import { createBidSchema } from '../../src/lib/schemas/bids';
import { renameClusterSchema } from '../../src/lib/schemas/clusters';
import { peopleFilterSchema } from '../../src/lib/schemas/people';

describe('the shared id schema', () => {
	it('accepts whole numbers from 1 to the int4 maximum', () => {
		for (const id of [1, 42, INT4_MAX]) expect(idSchema().safeParse(id).success).toBe(true);
	});
	it('refuses anything PostgreSQL could not compare with an integer column', () => {
		for (const id of [0, -1, 1.5, 2 ** 31, 2 ** 63, Number.NaN, Infinity, '1', null, [], {}]) {
			expect(idSchema().safeParse(id).success, String(id)).toBe(false);
		}
	});
	it('caps versions at the int4 maximum too', () => {
		expect(versionSchema().safeParse(0).success).toBe(true);
		expect(versionSchema().safeParse(2 ** 31).success).toBe(false);
		expect(versionSchema(undefined, 1).safeParse(0).success).toBe(false);
	});
});

describe('ids in addresses and form fields', () => {
	it('reads plain digits only', () => {
		expect(idFromText('12')).toBe(12);
		expect(idFromText(String(INT4_MAX))).toBe(INT4_MAX);
		for (const text of ['', 'abc', '0', '-1', '1.5', '1e3', ' 1', '01', '2147483648', '99999999999', '__proto__', null, undefined]) {
			expect(idFromText(text), String(text)).toBeNull();
		}
	});
	it('socket rooms beyond the int4 range name nothing', () => {
		expect(splitRoom('bid:2147483647')).toEqual({ kind: 'bid', id: 2147483647 });
		expect(splitRoom('bid:2147483648')).toBeNull();
		expect(splitRoom('cluster:9999999999')).toBeNull();
	});
});

describe('the shared text schema', () => {
	it('refuses NUL and lone surrogates with a field error, and keeps other Unicode', () => {
		expect(storableText('Bicester – 😀 e\u0301 \u202E')).toBe(true);
		for (const text of ['a\u0000b', '\u0000', 'lone \uD800', '\uDC00 lone']) expect(storableText(text), JSON.stringify(text)).toBe(false);
		expect(textSchema().safeParse('a\u0000b').error?.issues[0].message).toMatch(/control characters/);
	});
	it('is used by every feature schema that takes text', () => {
		const nul = 'Banbury\u0000';
		expect(createBidSchema.safeParse({ roundId: 1, leadSettingId: 1, title: nul }).error?.issues.map((i) => i.path[0])).toEqual(['title']);
		expect(renameClusterSchema.safeParse({ clusterId: 1, name: nul, version: 1, reason: nul }).error?.issues.map((i) => i.path[0])).toEqual(['name', 'reason']);
		expect(peopleFilterSchema.safeParse({ search: nul }).success).toBe(false);
	});
});

describe('lookups keyed by input', () => {
	const DONE: Record<string, string> = { created: 'Created.' };
	it('see only the record’s own keys, never its prototype', () => {
		expect(ownValue(DONE, 'created')).toBe('Created.');
		for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', null]) expect(ownValue(DONE, key), String(key)).toBeUndefined();
		expect(isOwnKey(DONE, 'created')).toBe(true);
		expect(isOwnKey(DONE, 'constructor')).toBe(false);
		expect(isOwnKey(DONE, 42)).toBe(false);
	});
});
