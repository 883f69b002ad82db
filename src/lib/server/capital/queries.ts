import { sql } from 'kysely';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { auditHistory } from '../audit';
import { assertCan, isCountyStaff } from '../policy';
import { notFound } from '../errors';
import { keysetPage, type Cursor, type KeyKind } from '../paging';
import type { SigningSetting } from './policy';
import { committedToLine } from './commands/shared';

// What the capital pages read. Pages never talk SQL; each query asks the policy first.

export const ROUNDS_PAGE_SIZE = 20;
/** Cursor keys for pages of trusts: the name, then the id. */
export const TRUST_KEY: KeyKind[] = ['text', 'int'];
/** Cursor keys for pages of rounds: the id (newest first). */
export const CAPITAL_ROUND_KEY: KeyKind[] = ['int'];

export interface HistoryItem {
	id: number;
	action: string;
	at: Date;
	who: string | null;
	summary: string | null;
	reason: string | null;
}

/** An item's timeline: its audit entries (and any whose detail contains `naming`), newest first. */
export async function capitalHistory(
	db: Database,
	subjectType: 'capital_line' | 'capital_source' | 'capital_target' | 'capital_round' | 'academy_trust',
	id: number,
	naming?: Record<string, unknown>
): Promise<HistoryItem[]> {
	const entries = await auditHistory(db, { subjects: [{ type: subjectType, ids: [id] }], detailContains: naming }, 200);
	return entries.map((e) => ({
		id: e.id,
		action: e.action,
		at: e.at,
		who: e.actorName,
		summary: typeof e.detail.summary === 'string' ? e.detail.summary : null,
		reason: e.reason
	}));
}

/** Every line, by name, for pickers and the overview, with the money committed against it (one grouped read). */
export async function programmeLines(db: Database) {
	const [rows, committed] = await Promise.all([
		db.selectFrom('capital_line').selectAll().orderBy('name').execute(),
		db.selectFrom('capital_commitment').select(['line_id', sql<string>`sum(amount_pence)`.as('total')]).where('kind', '=', 'committed').groupBy('line_id').execute()
	]);
	const byLine = new Map(committed.map((row) => [row.line_id, Number(row.total)]));
	return rows.map((row) => ({ ...row, committed_pence: byLine.get(row.id) ?? 0 }));
}

export async function settingTypes(db: Database) {
	return db.selectFrom('setting_type').selectAll().orderBy('label').execute();
}

/** The programme at a glance, for officers. */
export async function programmeOverview(db: Database, actor: Actor) {
	assertCan(actor, { action: 'capital.view' });
	const [lines, sources, sourceLines, targets, targetLines, rounds] = await Promise.all([
		programmeLines(db),
		db.selectFrom('capital_source').select(['id', 'name', 'amount_pence', 'status', 'profile']).orderBy('name').execute(),
		db.selectFrom('capital_source_line as sl').innerJoin('capital_line as l', 'l.id', 'sl.line_id').select(['sl.source_id', 'l.name']).orderBy('l.name').execute(),
		db.selectFrom('capital_target').select(['id', 'name', 'definition', 'baseline', 'figures']).orderBy('name').execute(),
		db.selectFrom('capital_target_line as tl').innerJoin('capital_line as l', 'l.id', 'tl.line_id').select(['tl.target_id', 'l.name']).orderBy('l.name').execute(),
		db.selectFrom('capital_round').select(['id', 'name', 'status', 'closes_on']).orderBy('id', 'desc').limit(5).execute()
	]);
	return {
		lines,
		sources: sources.map((s) => ({ ...s, lines: sourceLines.filter((l) => l.source_id === s.id).map((l) => l.name) })),
		targets: targets.map((t) => ({ ...t, lines: targetLines.filter((l) => l.target_id === t.id).map((l) => l.name) })),
		rounds
	};
}

export async function lineForEdit(db: Database, actor: Actor, id: number) {
	assertCan(actor, { action: 'capital.view' });
	const line = await db.selectFrom('capital_line').selectAll().where('id', '=', id).executeTakeFirst();
	if (!line) throw notFound('That programme line');
	const [committed, history] = await Promise.all([committedToLine(db, id), capitalHistory(db, 'capital_line', id)]);
	return { line, committed, history };
}

export async function sourceForEdit(db: Database, actor: Actor, id: number) {
	assertCan(actor, { action: 'capital.view' });
	const source = await db.selectFrom('capital_source').selectAll().where('id', '=', id).executeTakeFirst();
	if (!source) throw notFound('That funding source');
	const lines = await db.selectFrom('capital_source_line').select('line_id').where('source_id', '=', id).execute();
	return { source, lineIds: lines.map((l) => l.line_id), history: await capitalHistory(db, 'capital_source', id) };
}

export async function targetForEdit(db: Database, actor: Actor, id: number) {
	assertCan(actor, { action: 'capital.view' });
	const target = await db.selectFrom('capital_target').selectAll().where('id', '=', id).executeTakeFirst();
	if (!target) throw notFound('That target');
	const lines = await db.selectFrom('capital_target_line').select('line_id').where('target_id', '=', id).execute();
	return { target, lineIds: lines.map((l) => l.line_id), history: await capitalHistory(db, 'capital_target', id) };
}

/** Rounds, newest first, a page at a time; people outside the council see published ones only. */
export async function roundsPage(db: Database, actor: Actor, cursor: Cursor | null = null) {
	assertCan(actor, { action: 'capital.rounds.view' });
	let query = db.selectFrom('capital_round').select(['id', 'name', 'status', 'closes_on']);
	if (!isCountyStaff(actor)) query = query.where('status', '<>', 'draft');
	const page = await keysetPage(query, { order: [sql`id`], direction: 'desc', keyOf: (round) => [round.id], cursor, size: ROUNDS_PAGE_SIZE });
	return { rounds: page.items, previous: page.previous, next: page.next };
}

/** A round with its lines and criteria; officers also get its history. */
export async function roundForPage(db: Database, actor: Actor, id: number) {
	const round = await db.selectFrom('capital_round').selectAll().where('id', '=', id).executeTakeFirst();
	if (!round) throw notFound('That round');
	assertCan(actor, { action: 'capital.round.view', round });
	const [lines, criteria] = await Promise.all([
		db
			.selectFrom('capital_round_line as rl')
			.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
			.select(['l.id', 'l.name', 'l.process', 'l.place_definition'])
			.where('rl.round_id', '=', id)
			.orderBy('l.name')
			.execute(),
		db.selectFrom('capital_round_criterion').select(['id', 'name', 'description', 'weight']).where('round_id', '=', id).orderBy('position').execute()
	]);
	const staff = isCountyStaff(actor);
	return { round, lines, criteria, history: staff ? await capitalHistory(db, 'capital_round', id) : [] };
}

/** A setting as signing reads it: its type's signatories (none when its type is not on the list). */
export async function signingSetting(db: Database, settingId: number): Promise<(SigningSetting & { landownerConsent: boolean }) | null> {
	const row = await db
		.selectFrom('setting as s')
		.leftJoin('setting_type as t', 't.setting_type', 's.setting_type')
		.select(['s.id', 's.name', 't.signatories', 't.landowner_consent'])
		.where('s.id', '=', settingId)
		.executeTakeFirst();
	if (!row) return null;
	return { id: row.id, name: row.name, signatories: row.signatories ?? [], landownerConsent: row.landowner_consent ?? false };
}

/** Academy trusts by name, a page at a time, with how many academies each has; officers only. */
export async function trustsPage(db: Database, actor: Actor, cursor: Cursor | null = null) {
	assertCan(actor, { action: 'capital.manage' });
	const query = db
		.selectFrom('academy_trust as t')
		.select(['t.id', 't.name', 't.company_number', (eb) => eb.selectFrom('setting as s').select(eb.fn.countAll<string>().as('n')).whereRef('s.trust_id', '=', 't.id').as('academies')]);
	const page = await keysetPage(query, { order: [sql`t.name`, sql`t.id`], direction: 'asc', keyOf: (trust) => [trust.name, trust.id], cursor });
	return { ...page, items: page.items.map((trust) => ({ ...trust, academies: Number(trust.academies ?? 0) })) };
}

/** A trust with its academies (tens at most) and its history, including academies moved to or from it; officers only. */
export async function trustForPage(db: Database, actor: Actor, id: number) {
	assertCan(actor, { action: 'capital.manage' });
	const trust = await db.selectFrom('academy_trust').select(['id', 'name', 'company_number', 'version', 'created_at']).where('id', '=', id).executeTakeFirst();
	if (!trust) throw notFound('That trust');
	const [academies, history] = await Promise.all([
		db
			.selectFrom('setting as s')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select(['s.id', 's.name', 's.town', 's.urn', 'l.name as locality_name'])
			.where('s.trust_id', '=', id)
			.orderBy('s.name')
			.limit(200)
			.execute(),
		capitalHistory(db, 'academy_trust', id, { trustIds: [id] })
	]);
	return { trust, academies, history };
}
