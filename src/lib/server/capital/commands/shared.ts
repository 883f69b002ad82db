import { sql, type Kysely, type Selectable } from 'kysely';
import { conflict, DomainError, invalid, notFound, codesOf } from '../../errors';
import type { Work } from '../../work';
import type { DB } from '../../db';
import { programmeRoom } from '$lib/capital/live';
import type { CapitalSubject } from '$lib/capital/live';
import type { SourceCommitted } from '$lib/capital/money/rules';

// What the capital set-up commands share. Each command is one transaction: it asks the policy,
// parses its input, locks the row it changes, checks the version the officer saw on the locked
// row (someone else's change first is a 409 naming who and what is saved now), writes, and
// records who, what and why once (work.record), telling the programme's room.

export type Trx = Work['trx'];
type VersionedTable = 'capital_line' | 'capital_source' | 'capital_target' | 'capital_round';

/** A row of a versioned capital table, locked for the rest of the transaction, or a 404 naming it. */
export async function lockRow<T extends VersionedTable>(trx: Trx, table: T, id: number, what: string) {
	const row = await trx
		// Written over the union of the tables (Kysely cannot type a query over a table chosen by a type parameter).
		.selectFrom(table as VersionedTable)
		.selectAll()
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
	if (!row) throw notFound(what);
	// The query is written over the union of tables; the row is the one table's.
	return row as unknown as Selectable<DB[T]>;
}

/** Who last changed a subject, from its history (for a conflict message). */
async function lastChangedBy(trx: Trx, subjectType: string, id: number): Promise<string> {
	const row = await trx
		.selectFrom('audit_log as a')
		.leftJoin('app_user as u', 'u.id', 'a.actor_id')
		.select('u.name')
		.where('a.subject_type', '=', subjectType)
		.where('a.subject_id', '=', id)
		.orderBy('a.id', 'desc')
		.executeTakeFirst();
	return row?.name ?? 'Someone else';
}

/**
 * The version the officer saw, checked on the locked row. When another change came first, the
 * 409 says who made it and what is saved now (`now`), so nothing is silently overwritten.
 */
export async function requireVersion(trx: Trx, subject: { type: string; id: number; noun: string }, row: { version: number }, seen: number, now: string[]): Promise<void> {
	if (row.version === seen) return;
	const who = await lastChangedBy(trx, subject.type, subject.id);
	throw conflict(`${who} changed this ${subject.noun} while you were editing it. Saved now: ${now.join('; ')}. Check your changes and save again.`);
}

/** A rule's refusal as a 400, beside a field when it names one. */
export function refuse(message: string, field?: string): never {
	throw invalid(message, field ? { [field]: [message] } : undefined);
}

/** Names are unique per kind of item; the unique index is the guard (it holds under concurrency), said as a field error. */
export async function guardName<T>(write: Promise<T>, message: string): Promise<T> {
	try {
		return await write;
	} catch (caught) {
		if (codesOf(caught).code === '23505') refuse(message, 'name');
		throw caught;
	}
}

/** Several field problems at once, as one 400. */
export function refuseFields(problems: Record<string, string>): void {
	const entries = Object.entries(problems);
	if (entries.length === 0) return;
	throw invalid(entries[0][1], Object.fromEntries(entries.map(([field, message]) => [field, [message]])));
}

/** The changes between two versions of an item, in words ("Allocation: £1,000,000 → £1,200,000"). */
export function describeChanges<T extends Record<string, unknown>>(
	before: T,
	after: T,
	labels: { [K in keyof T]?: [label: string, show: (value: T[K]) => string] }
): { words: string[]; changed: (keyof T)[] } {
	const words: string[] = [];
	const changed: (keyof T)[] = [];
	for (const key in labels) {
		const labelled = labels[key];
		if (!labelled) continue;
		const [label, show] = labelled;
		const was = show(before[key]);
		const now = show(after[key]);
		if (was === now) continue;
		changed.push(key);
		words.push(`${label}: ${was} → ${now}`);
	}
	return { words, changed };
}

/** Lines named by id must all exist; an unknown one is a field error, not a failed insert. */
export async function requireLines(trx: Trx, lineIds: readonly number[], field = 'lineIds'): Promise<{ id: number; name: string }[]> {
	const wanted = [...new Set(lineIds)];
	if (wanted.length === 0) return [];
	const lines = await trx.selectFrom('capital_line').select(['id', 'name']).where('id', 'in', wanted).orderBy('name').execute();
	if (lines.length !== wanted.length) refuse('One of the lines chosen no longer exists. Reload the page and choose again.', field);
	return lines;
}

/** Replaces the lines an item is linked to (a source, a target or a round). */
export async function linkLines(
	trx: Trx,
	table: 'capital_source_line' | 'capital_target_line' | 'capital_round_line',
	owner: { column: 'source_id' | 'target_id' | 'round_id'; id: number },
	lineIds: readonly number[]
): Promise<void> {
	await sql`delete from ${sql.table(table)} where ${sql.ref(owner.column)} = ${owner.id}`.execute(trx);
	const wanted = [...new Set(lineIds)];
	if (wanted.length === 0) return;
	await sql`insert into ${sql.table(table)} (${sql.ref(owner.column)}, line_id) select ${owner.id}, unnest(${sql.val(wanted)}::int[])`.execute(trx);
}

/** The live event telling officers' pages that an item of the programme changed. */
export const changed = (kind: CapitalSubject, id: number, version: number) => [
	{ room: programmeRoom, kind: 'capital.changed' as const, payload: { subject: kind, id, version } }
];

/** Figures by financial year as stored, from the form's rows (a later row for the same year wins). */
export const byYear = <R extends { year: number }>(rows: readonly R[], value: (row: R) => number): Record<string, number> =>
	Object.fromEntries(rows.map((row) => [String(row.year), value(row)]));

export const noChange = () => new DomainError('BAD_REQUEST', 'Nothing has changed. Change a value, or go back without saving.');

/** The names of the lines an item (a source or a target) is linked to, by name. */
export async function linkedLineNames(trx: Trx, table: 'capital_source_line' | 'capital_target_line', owner: { column: 'source_id' | 'target_id'; id: number }): Promise<string[]> {
	const rows = await trx
		.selectFrom('capital_line as l')
		.select('l.name')
		.where(sql<boolean>`l.id in (select line_id from ${sql.table(table)} where ${sql.ref(owner.column)} = ${owner.id})`)
		.orderBy('l.name')
		.execute();
	return rows.map((row) => row.name);
}

export interface Edit<T extends Record<string, unknown>> {
	subject: { kind: CapitalSubject; id: number };
	/** The item as saved and as asked for, in the words `labels` shows them in. */
	before: T;
	after: T;
	labels: { [K in keyof T]?: [label: string, show: (value: T[K]) => string] };
	/** Keys whose change moves money, so needs a reason. */
	money?: readonly (keyof T)[];
	reason: string;
	/** The update (bumping the version), run only once the edit is known to change something. */
	write: () => Promise<{ version: number }>;
	/** The words for a name another item of the kind already has. */
	duplicate: string;
	/** The lines the item may fund or count, replaced after the write. */
	lines?: { table: 'capital_source_line' | 'capital_target_line'; column: 'source_id' | 'target_id'; ids: readonly number[] };
}

/**
 * An edit to a line, source or target, the same for each: what changed in words (nothing is a
 * 400), a reason when money moves, the write (a name already used is a field error), the linked
 * lines, and the decision recorded once for the item's timeline and the programme's room.
 */
export async function saveEdit<T extends Record<string, unknown>>(work: Work, edit: Edit<T>): Promise<{ id: number; version: number }> {
	const { kind, id } = edit.subject;
	const { words, changed: keys } = describeChanges(edit.before, edit.after, edit.labels);
	if (words.length === 0) throw noChange();
	if (!edit.reason && keys.some((key) => edit.money?.includes(key))) refuse('Say why the money is changing', 'reason');
	const { version } = await guardName(edit.write(), edit.duplicate);
	if (edit.lines) await linkLines(work.trx, edit.lines.table, { column: edit.lines.column, id }, edit.lines.ids);
	await work.record({
		action: `capital.${kind}_changed`,
		subject: { type: `capital_${kind}`, id },
		summary: `Changed ${words.join('; ')}`,
		reason: edit.reason || null,
		detail: { changed: keys, version },
		events: changed(kind, id, version)
	});
	return { id, version };
}

/** What approvals have committed against a line, in pence (plans hold no money). Read under the line's lock. */
export async function committedToLine(trx: Kysely<DB>, lineId: number): Promise<number> {
	const row = await trx
		.selectFrom('capital_commitment')
		.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
		.where('kind', '=', 'committed')
		.where('line_id', '=', lineId)
		.executeTakeFirstOrThrow();
	return Number(row.total);
}

/** What approvals have committed from a source, by financial year and line, in pence. Read under the source's lock. */
export async function committedFromSource(trx: Trx, sourceId: number): Promise<SourceCommitted> {
	const rows = await trx
		.selectFrom('capital_commitment as c')
		.innerJoin('capital_line as l', 'l.id', 'c.line_id')
		.select(['c.year', 'c.line_id', 'l.name', sql<string>`sum(c.amount_pence)`.as('pence')])
		.where('c.kind', '=', 'committed')
		.where('c.source_id', '=', sourceId)
		.groupBy(['c.year', 'c.line_id', 'l.name'])
		.execute();
	const byYear: Record<string, number> = {};
	const byLine = new Map<number, { lineId: number; lineName: string; pence: number }>();
	let total = 0;
	for (const row of rows) {
		const pence = Number(row.pence);
		total += pence;
		byYear[String(row.year)] = (byYear[String(row.year)] ?? 0) + pence;
		const line = byLine.get(row.line_id) ?? { lineId: row.line_id, lineName: row.name, pence: 0 };
		line.pence += pence;
		byLine.set(row.line_id, line);
	}
	return { total, byYear, byLine: [...byLine.values()] };
}
