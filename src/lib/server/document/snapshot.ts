// A frozen snapshot: the content exactly as it was signed off, stored once with its hash, so
// endorsers endorse a fixed text and can later see what changed since. The hash lets anyone show
// that two people read the same version and that a stored snapshot was never edited afterwards.
import { sql } from 'kysely';
import { canonicalJson, snapshotHash } from '$lib/document/hash';
import { changedSections, type SectionChange } from '$lib/document/changes';
import type { DocumentDefinition } from '$lib/document/define';
import type { Executor } from './sections';

/** A table of snapshots: one row per sign-off, keyed by the feature's own columns. */
export interface SnapshotTable {
	table: string;
	/** The jsonb column holding the content. Default `snapshot`. */
	snapshotColumn?: string;
	/** A text column for the hash, if the table has one; otherwise the hash is only returned. */
	hashColumn?: string | null;
}

type Key = Record<string, string | number>;

/**
 * Stores the content as signed off, with the feature's key columns (`{ bid_id, submission_no,
 * submitted_by }`), inside the command's transaction. Returns the snapshot's hash.
 */
export async function freeze(trx: Executor, where: SnapshotTable & { values: Key; content: unknown }): Promise<{ hash: string }> {
	const { table, snapshotColumn = 'snapshot', hashColumn = null, values, content } = where;
	const hash = snapshotHash(content);
	const columns = [...Object.keys(values), snapshotColumn, ...(hashColumn ? [hashColumn] : [])];
	// Canonical JSON, so the stored text and the hash agree however the content's keys were ordered.
	const row = [...Object.values(values).map((value) => sql`${value}`), sql`${canonicalJson(content)}::jsonb`, ...(hashColumn ? [sql`${hash}`] : [])];
	await sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) values (${sql.join(row)})`.execute(trx);
	return { hash };
}

export interface Frozen<C> {
	content: C;
	/** The hash of the content as read. */
	hash: string;
	/** False when a stored hash no longer matches the content (someone edited the row); true with no hash column. */
	intact: boolean;
}

const matching = (key: Key) => sql.join(Object.entries(key).map(([column, value]) => sql`${sql.ref(column)} = ${value}`), sql` and `);

/**
 * One frozen snapshot by its key (`{ bid_id: 7, submission_no: 2 }`), or null. The type is the
 * feature's word for what it froze: the row holds whatever `freeze` was given for this document.
 */
export async function readFrozen<C>(trx: Executor, where: SnapshotTable & { key: Key }): Promise<Frozen<C> | null> {
	const { table, snapshotColumn = 'snapshot', hashColumn = null, key } = where;
	const stored = hashColumn ? sql.ref(hashColumn) : sql`null::text`;
	const { rows } = await sql<{ content: C; stored_hash: string | null }>`
		select ${sql.ref(snapshotColumn)} as content, ${stored} as stored_hash
		from ${sql.table(table)} where ${matching(key)}`.execute(trx);
	if (!rows[0]) return null;
	const hash = snapshotHash(rows[0].content);
	return { content: rows[0].content, hash, intact: rows[0].stored_hash === null || rows[0].stored_hash === hash };
}

export interface ChangesSince<S extends string> {
	/** Nothing a reader would notice changed (the hashes agree, or every section reads the same). */
	unchanged: boolean;
	changes: SectionChange<S>[];
}

/**
 * "What changed since you endorsed": the sections that differ between the snapshot someone endorsed
 * and the content now (usually the latest snapshot), section by section with the lines that changed.
 */
export async function changesSinceFrozen<C, S extends string>(
	trx: Executor,
	document: DocumentDefinition<C, S>,
	endorsed: SnapshotTable & { key: Key },
	now: C
): Promise<ChangesSince<S> | null> {
	const then = await readFrozen<C>(trx, endorsed);
	if (!then) return null;
	if (then.hash === snapshotHash(now)) return { unchanged: true, changes: [] };
	const changes = changedSections(document, then.content, now);
	return { unchanged: changes.length === 0, changes };
}
