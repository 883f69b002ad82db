import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import { error } from '@sveltejs/kit';
import { DomainError, invalid } from './errors';

/**
 * Keyset pagination: a page is "the rows after (or before) this row" in a fixed order, never
 * "skip N rows", so the database walks an index from the cursor and reads one page, however far
 * into the list the reader is, and a row added meanwhile neither repeats nor skips another.
 *
 * The cursor travels in the query string as one parameter per list (`?page=…`, `?members=…`), so
 * the next and previous links are plain links that work without JavaScript, and two lists on one
 * page page independently. It holds the sort values of the row at the edge of the page and which
 * way to go; it is opaque to readers but not secret (it only names values they have seen).
 */

/** A value of one sort key: text, a number, or a time (sent as ISO text). */
export type KeyValue = string | number;

export interface Cursor {
	direction: 'after' | 'before';
	key: KeyValue[];
}

export interface KeysetPage<T> {
	items: T[];
	/** Cursor text for the next page (the rows after the last one here), or null on the last page. */
	next: string | null;
	/** Cursor text for the previous page, or null on the first page. */
	previous: string | null;
}

export const PAGE_SIZE = 20;

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', ...cursor.key])).toString('base64url');

/**
 * What each sort key holds, so a cursor is checked before it reaches SQL (a word where an id
 * belongs would otherwise be a database error): an integer id, text, or a time as PostgreSQL
 * writes `timestamptz::text` (to the microsecond).
 */
export type KeyKind = 'int' | 'text' | 'time';

const INT_MAX = 2 ** 31 - 1;
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const fits: Record<KeyKind, (value: unknown) => boolean> = {
	int: (value) => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT_MAX,
	text: (value) => typeof value === 'string' && value.length <= 500 && !value.includes('\u0000'),
	time: (value) => typeof value === 'string' && TIME.test(value)
};

/**
 * For a page load: the cursor in a query parameter's text (`url.searchParams.get('page')`), or
 * null for the first page. A cursor that was not made here (edited, cut short, of another list)
 * is the 400 page rather than a guess.
 */
export function readCursor(text: string | null, kinds: readonly KeyKind[]): Cursor | null {
	if (text === null || text === '') return null;
	try {
		return parseCursor(text, kinds);
	} catch (caught) {
		if (caught instanceof DomainError) error(400, { message: caught.message });
		throw caught;
	}
}

/** The cursor text a client sent back (a tRPC input); refused as BAD_REQUEST when not made here. */
export function parseCursor(text: string, kinds: readonly KeyKind[]): Cursor {
	const refused = invalid('That page link is not valid. Go back to the first page and try again.');
	let decoded: unknown;
	try {
		decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
	} catch {
		throw refused;
	}
	if (!Array.isArray(decoded) || decoded.length !== kinds.length + 1) throw refused;
	const [direction, ...key] = decoded as unknown[];
	if (direction !== 'a' && direction !== 'b') throw refused;
	if (!key.every((value, at) => fits[kinds[at]](value))) throw refused;
	return { direction: direction === 'a' ? 'after' : 'before', key: key as KeyValue[] };
}

export interface Keyset<T> {
	/** The sort keys, most significant first; the last must be unique (an id) so the order is total. */
	order: Expression<unknown>[];
	/** One direction for every key (row comparison needs it): 'asc' for names, 'desc' for feeds. */
	direction: 'asc' | 'desc';
	/** The sort values of a row as the query returned it (the same order as `order`). */
	keyOf: (row: T) => KeyValue[];
	cursor: Cursor | null;
	size?: number;
}

/**
 * One page of `query` in the keyset's order. The query brings its own joins and filters; this adds
 * the order, the cursor's condition and the limit (one row more than a page, to know if there is
 * a next one). An index on the sort keys (with the query's equality filters first) serves it.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
	query: SelectQueryBuilder<DB, TB, O>,
	keyset: Keyset<O>
): Promise<KeysetPage<O>> {
	const size = keyset.size ?? PAGE_SIZE;
	const { cursor } = keyset;
	// Going back reads the same index the other way, then turns the rows round.
	const backwards = cursor?.direction === 'before';
	const ascending = (keyset.direction === 'asc') !== backwards;
	let paged = query;
	if (cursor) {
		const keys = sql.join(keyset.order);
		const values = sql.join(cursor.key.map((value) => sql.val(value)));
		paged = paged.where(ascending ? sql<boolean>`(${keys}) > (${values})` : sql<boolean>`(${keys}) < (${values})`);
	}
	for (const expression of keyset.order) paged = paged.orderBy(expression, ascending ? 'asc' : 'desc');
	const rows = await paged.limit(size + 1).execute();
	const more = rows.length > size;
	const items = rows.slice(0, size);
	if (backwards) items.reverse();
	const first = items[0];
	const last = items[items.length - 1];
	const hasNext = backwards ? cursor !== null : more;
	const hasPrevious = backwards ? more : cursor !== null;
	return {
		items,
		next: hasNext && last ? encode({ direction: 'after', key: keyset.keyOf(last) }) : null,
		previous: hasPrevious && first ? encode({ direction: 'before', key: keyset.keyOf(first) }) : null
	};
}
