import { describe, expect, it } from 'vitest';
import { cursorFrom, keysetStep, pageOf } from '../../src/lib/server/keyset';

// Keyset pages: which way to walk for a cursor, and the links a page carries.

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('keyset pages', () => {
	it('reads the cursor from the address, strictly', () => {
		expect(cursorFrom(new URL('http://x/?after=12'))).toEqual({ after: 12 });
		expect(cursorFrom(new URL('http://x/?before=7'))).toEqual({ before: 7 });
		expect(cursorFrom(new URL('http://x/?invitations-after=3'), 'invitations-')).toEqual({ after: 3 });
		for (const junk of ['-1', '1e3', '012', 'x', '99999999999', '']) expect(cursorFrom(new URL(`http://x/?after=${junk}`))).toBeNull();
	});

	it('walks forward in the list order, and backward in the opposite one', () => {
		expect(keysetStep(null, 'asc')).toEqual({ backward: false, order: 'asc', cursorId: null });
		expect(keysetStep({ after: 5 }, 'desc')).toEqual({ backward: false, order: 'desc', cursorId: 5 });
		expect(keysetStep({ before: 5 }, 'desc')).toEqual({ backward: true, order: 'asc', cursorId: 5 });
	});

	it('the first page has a next link only when a row beyond it was read', () => {
		const step = keysetStep(null, 'asc');
		expect(pageOf(rows(1, 2, 3), step, 2)).toEqual({ rows: rows(1, 2), previous: null, next: 2 });
		expect(pageOf(rows(1, 2), step, 2)).toEqual({ rows: rows(1, 2), previous: null, next: null });
	});

	it('a page after a cursor links back to itself; a page before one is put back in order', () => {
		expect(pageOf(rows(4, 5, 6), keysetStep({ after: 3 }, 'asc'), 2)).toEqual({ rows: rows(4, 5), previous: 4, next: 5 });
		// Read backward from 6: 5, 4, 3 (one extra, so there is a page before too).
		expect(pageOf(rows(5, 4, 3), keysetStep({ before: 6 }, 'asc'), 2)).toEqual({ rows: rows(4, 5), previous: 4, next: 5 });
		expect(pageOf(rows(5, 4), keysetStep({ before: 6 }, 'asc'), 2)).toEqual({ rows: rows(4, 5), previous: null, next: 5 });
	});
});
