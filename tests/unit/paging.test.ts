import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { parseCursor, readCursor } from '../../src/lib/server/paging';

// The one cursor convention: opaque text made by the server, checked against the list's key kinds
// before any of it reaches SQL.

const made = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

describe('page cursors', () => {
	it('no cursor is the first page', () => {
		for (const text of [null, undefined, '']) expect(parseCursor(text, ['int'])).toBeNull();
	});

	it('reads a cursor made for the list: which way, and the sort key', () => {
		expect(parseCursor(made('a', 'ann', 7), ['text', 'int'])).toEqual({ direction: 'after', key: ['ann', 7] });
		expect(parseCursor(made('b', '2026-06-01 09:00:00.123456+00', 3), ['time', 'int'])).toEqual({ direction: 'before', key: ['2026-06-01 09:00:00.123456+00', 3] });
	});

	it('refuses a cursor not made here, or made for another list', () => {
		for (const text of ['12', 'not base64!', made({ a: 1 }), made('x', 1), made('a'), made('a', 'ann'), made('a', 1.5), made('a', 2 ** 31), made('a', '7'), made('a', 1, 2)]) {
			expect(() => parseCursor(text, ['int']), text).toThrow('That page link is not valid');
		}
		expect(() => parseCursor(made('a', 'ann\u0000', 1), ['text', 'int'])).toThrow('That page link is not valid');
		expect(() => parseCursor(made('a', '1 June 2026', 3), ['time', 'int'])).toThrow('That page link is not valid');
		expect(() => parseCursor(made('a', 'x'.repeat(501), 3), ['text', 'int'])).toThrow('That page link is not valid');
	});

	it('a page address with a bad cursor is the 400 page', () => {
		expect(readCursor(null, ['int'])).toBeNull();
		try {
			readCursor('nonsense', ['int']);
			expect.unreachable('a bad cursor should be refused');
		} catch (caught) {
			expect(isHttpError(caught, 400)).toBe(true);
		}
	});
});
