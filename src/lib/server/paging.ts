import { sql, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { error } from '@sveltejs/kit';
import { DomainError, invalid } from './errors';

/**
 * Keyset pagination, the one way every list that grows with the country is paged: a page is "the
 * rows after (or before) this row" in a fixed order, never "skip N rows", so the database walks an
 * index from the cursor and reads one page however far into the list the reader is, and a row added
 * or removed meanwhile neither repeats nor skips another.
 *
 * One cursor convention, for pages and the API alike:
 * - A page answers `next` and `previous`: opaque cursor texts, or null when there is no such page.
 * - A page address carries the cursor in one query parameter named for its list (`?page=…`,
 *   `?members=…`, `?invitations=…`), so the Previous and Next links are plain links that work
 *   without JavaScript, and two lists on one page page independently (`Pagination.svelte`).
 * - A tRPC list takes it back as `cursor` (`$lib/schemas/pages`).
 * The cursor holds the sort values of the row at the edge of the page and which way to go. It is
 * not secret (it only names values the reader has seen), and one not made here is refused with 400.
 */

/** A value of one sort key: text, a number, or a time (as PostgreSQL's own text, to the microsecond). */
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

/** Every value has the kind its key needs: a type guard, so the checked key needs no cast. */
const keyFits = (key: unknown[], kinds: readonly KeyKind[]): key is KeyValue[] => key.length === kinds.length && key.every((value, at) => fits[kinds[at]](value));

/**
 * For a page load: the cursor in its list's query parameter (`url.searchParams.get('page')`), or
 * null for the first page. A cursor that was not made here (edited, cut short, of another list)
 * is the 400 page rather than a guess.
 */
export function readCursor(text: string | null, kinds: readonly KeyKind[]): Cursor | null {
	try {
		return parseCursor(text, kinds);
	} catch (caught) {
		if (caught instanceof DomainError) error(400, { message: caught.message });
		throw caught;
	}
}

/**
 * The cursor text a client sent back (a tRPC input's `cursor`), or null when none was sent (the
 * first page); refused as BAD_REQUEST when it was not made here.
 */
export function parseCursor(text: string | null | undefined, kinds: readonly KeyKind[]): Cursor | null {
	if (text === null || text === undefined || text === '') return null;
	const refused = invalid('That page link is not valid. Go back to the first page and try again.');
	let decoded: unknown;
	try {
		decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
	} catch {
		throw refused;
	}
	if (!Array.isArray(decoded)) throw refused;
	const [direction, ...key] = decoded;
	if (direction !== 'a' && direction !== 'b') throw refused;
	if (!keyFits(key, kinds)) throw refused;
	return { direction: direction === 'a' ? 'after' : 'before', key };
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
 * `query` narrowed to one page in the keyset's order: the cursor's condition, the order and the
 * limit (one row more than a page, to know if there is a next one). Exported so query-plan tests
 * can check the exact SQL a page runs.
 */
export function pageQuery<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, keyset: Keyset<O>): SelectQueryBuilder<DB, TB, O> {
	const { cursor } = keyset;
	// Going back reads the same index the other way; `keysetPage` turns the rows round.
	const ascending = (keyset.direction === 'asc') !== (cursor?.direction === 'before');
	let paged = query;
	if (cursor) {
		const keys = sql.join(keyset.order);
		const values = sql.join(cursor.key.map((value) => sql.val(value)));
		paged = paged.where(ascending ? sql<boolean>`(${keys}) > (${values})` : sql<boolean>`(${keys}) < (${values})`);
	}
	for (const expression of keyset.order) paged = paged.orderBy(expression, ascending ? 'asc' : 'desc');
	return paged.limit((keyset.size ?? PAGE_SIZE) + 1);
}

/**
 * One page of `query` in the keyset's order. The query brings its own joins and filters; an index
 * on the sort keys (with the query's equality filters first) serves it. A previous page that comes
 * back short means the list's start has moved (rows were removed, or the link is old): the first
 * page is shown instead, so it is always full. A query whose filter depends on the cursor (one
 * made with `idWindow`) is given as a function of it, so that first page is filtered as one.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
	query: SelectQueryBuilder<DB, TB, O> | ((cursor: Cursor | null) => SelectQueryBuilder<DB, TB, O>),
	keyset: Keyset<O>
): Promise<KeysetPage<O>> {
	const size = keyset.size ?? PAGE_SIZE;
	const { cursor } = keyset;
	const backwards = cursor?.direction === 'before';
	const rows = await pageQuery(typeof query === 'function' ? query(cursor) : query, keyset).execute();
	const more = rows.length > size;
	if (backwards && rows.length < size) return keysetPage(query, { ...keyset, cursor: null });
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

/**
 * "The row's id is one of these", for a list in id order that shows a person only some rows
 * (their settings', their district's, their own), each source an indexed query of ids. Written
 * as an OR of conditions, the planner walks the whole primary key in order and filters, expecting
 * the rows it wants to be spread evenly; for someone who sees a few old rows that reads the whole
 * table. Here each source is read only as far as one page from the cursor (`idWindow`), the ids
 * are collected (`id = any(array(...))`), and just those rows are fetched by primary key: a page
 * costs the same in a county as in England, and on the tenth page as on the first. No sources
 * (the person may see nothing): false. The list's query then depends on the cursor: give
 * `keysetPage` a function of it.
 */
export function idAmong(column: string, sources: Expression<{ id: number }>[]): RawBuilder<boolean> {
	if (sources.length === 0) return sql<boolean>`false`;
	return sql<boolean>`${sql.ref(column)} = any(array(${sql.join(sources, sql` union `)}))`;
}

/** One source's ids for `idAmong`: its next page from `cursor` in the list's order (by its id column, `id`). */
export function idWindow<DB, TB extends keyof DB>(
	source: SelectQueryBuilder<DB, TB, { id: number }>,
	id: string,
	list: { direction: 'asc' | 'desc'; size?: number },
	cursor: Cursor | null
) {
	return pageQuery(source, { direction: list.direction, size: list.size, order: [sql.ref(id)], keyOf: (row) => [row.id], cursor });
}

/** A sort key of a time column as PostgreSQL's own text, which keeps the microseconds a JavaScript Date would drop. */
export const timeKey = (column: string) => sql<string>`${sql.ref(column)}::text`.as('at_key');

/** The keys of a list newest first by `<alias>.created_at` then id; the query selects `timeKey('<alias>.created_at')`. */
export const NEWEST_FIRST_KEY: KeyKind[] = ['time', 'int'];

/** Newest first by `<alias>.created_at`, ties broken by id (the list's index is on both, descending). */
export function newestFirst(alias: string, cursor: Cursor | null, size?: number): Keyset<{ at_key: string; id: number }> {
	return {
		order: [sql.ref(`${alias}.created_at`), sql.ref(`${alias}.id`)],
		direction: 'desc',
		keyOf: (row) => [row.at_key, row.id],
		cursor,
		size
	};
}
