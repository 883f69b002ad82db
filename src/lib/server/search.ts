import { sql, type RawBuilder } from 'kysely';

// How a typed search matches a name or an email, so that an index serves it on any size of
// portal. Three or more characters match anywhere in the text ("%text%", served by a trigram
// index on the column); one or two characters have no trigram to look up, so they match the start
// of the text instead (served by a `lower(column) text_pattern_ops` index).

/** The fewest characters a search needs to match anywhere in a text. */
export const ANYWHERE_MIN_LENGTH = 3;

/** Escapes LIKE wildcards so a search for "50%" or "St_" finds exactly that. */
function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` matches the typed `text` (see above); `column` is a trusted column reference like `u.name`. */
export function textMatches(column: string, text: string): RawBuilder<boolean> {
	const ref = sql.ref(column);
	if (text.length >= ANYWHERE_MIN_LENGTH) return sql<boolean>`${ref} ilike ${`%${escapeLike(text)}%`}`;
	return sql<boolean>`lower(${ref}) like ${`${escapeLike(text.toLowerCase())}%`}`;
}
