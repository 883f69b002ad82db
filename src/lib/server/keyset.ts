import { sql, type RawBuilder } from 'kysely';
import { idFromText } from '$lib/schemas/common';

// Keyset pages for lists that grow with the country: a page starts after (or ends before) the row
// whose id the link carries, compared on the list's whole sort key, so a row inserted or removed
// while someone pages never makes another row appear twice or be skipped, and every page costs an
// index walk of one page whatever its number. The cursor is only a row id: the key is read back
// from that row, so nobody can hand-write a cursor that breaks the query (an unknown id gives an
// empty page, not an error).

/** Which page: the first, the one after the row `after`, or the one before the row `before`. */
export type PageCursor = { after: number } | { before: number } | null;

/** A page of rows in display order, with the ids its previous and next links carry (null: no such page). */
export interface Page<Row> {
	rows: Row[];
	previous: number | null;
	next: number | null;
}

/** The cursor from a page address (`?after=12` or `?before=12`, or with a prefix for a second list on the page). */
export function cursorFrom(url: URL, prefix = ''): PageCursor {
	const after = idFromText(url.searchParams.get(`${prefix}after`));
	if (after !== null) return { after };
	const before = idFromText(url.searchParams.get(`${prefix}before`));
	return before !== null ? { before } : null;
}

/** How to read one page of a list shown in `order`: the direction to walk, and how to compare against the cursor row. */
export interface KeysetStep {
	/** Reading towards the start (a previous page): rows come back reversed and are put right by `pageOf`. */
	backward: boolean;
	order: 'asc' | 'desc';
	/** The cursor row's id, or null on the first page. */
	cursorId: number | null;
}

export function keysetStep(cursor: PageCursor, order: 'asc' | 'desc'): KeysetStep {
	if (cursor === null) return { backward: false, order, cursorId: null };
	if ('after' in cursor) return { backward: false, order, cursorId: cursor.after };
	return { backward: true, order: order === 'asc' ? 'desc' : 'asc', cursorId: cursor.before };
}

/**
 * `(key…) > (the cursor row's key…)` (or `<`, as the walk goes). `key` and `cursorKey` are the
 * same columns, read from the listed row and from the cursor row (`select … from t where id = ?`).
 */
export function pastCursor(step: KeysetStep, key: RawBuilder<unknown>, cursorKey: (id: number) => RawBuilder<unknown>): RawBuilder<boolean> | null {
	if (step.cursorId === null) return null;
	return sql<boolean>`${key} ${sql.raw(step.order === 'asc' ? '>' : '<')} (${cursorKey(step.cursorId)})`;
}

/** Rows read with `limit(size + 1)` in the step's direction, as a page in display order with its links. */
export function pageOf<Row extends { id: number }>(fetched: Row[], step: KeysetStep, size: number): Page<Row> {
	const more = fetched.length > size;
	const rows = fetched.slice(0, size);
	if (step.backward) {
		rows.reverse();
		return { rows, previous: more && rows.length ? rows[0].id : null, next: rows.at(-1)?.id ?? null };
	}
	return {
		rows,
		previous: step.cursorId !== null && rows.length ? rows[0].id : null,
		next: more && rows.length ? rows[rows.length - 1].id : null
	};
}

/**
 * Reads one page. A previous page that comes back short means the list's start has moved (rows
 * were removed, or the cursor is stale): the first page is shown instead, so it is always full.
 */
export async function readPage<Row extends { id: number }>(
	cursor: PageCursor,
	order: 'asc' | 'desc',
	size: number,
	fetch: (step: KeysetStep, limit: number) => Promise<Row[]>
): Promise<Page<Row>> {
	const step = keysetStep(cursor, order);
	const fetched = await fetch(step, size + 1);
	if (step.backward && fetched.length <= size) return readPage(null, order, size, fetch);
	return pageOf(fetched, step, size);
}
