import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { conflict, invalid } from '../errors';
import { formatDate } from '$lib/format';
import { periodsSchema, termRemovalSchema, termSchema } from '$lib/schemas/disputes-settings';
import { DEFAULT_PERIODS, DEFAULT_QUORUM, PERIOD_LABELS, type DisputePeriods } from '$lib/disputes/model';
import { DEFAULT_OUTCOME_PERIODS, OUTCOME_PERIOD_LABELS, type OutcomePeriods } from '$lib/disputes/outcome';
import { ownValue } from '$lib/records';
import type { Term } from './calendar';
import { districtRef } from './cases';
import { changedPeriods, sameTermKept, termProblem } from './settings-rules';
import type { DistrictRef } from './policy';

// A district's dispute settings, kept by its SENDIASS officers (the reform may change any period):
// the swiftness targets and whether they count working or school days, the statutory, escalation,
// flagging and retention periods, and the term dates school days are counted in. Every change is
// recorded with who, when and why; the page's history reads those entries back. Periods are saved
// against the version seen, so two officers never silently overwrite each other; the quorum rule
// (on the pool page) shares the same row and version.

type Trx = Work['trx'];

export interface SettingsChange {
	at: Date;
	by: string | null;
	summary: string;
	reason: string | null;
}

export interface TermRow {
	id: number;
	start: string;
	end: string;
}

export interface DistrictSettingsView {
	district: DistrictRef;
	periods: DisputePeriods;
	outcomePeriods: OutcomePeriods;
	version: number;
	terms: TermRow[];
	history: SettingsChange[];
}

/** Entries shown in the page's history; all stay in the audit log. */
export const SETTINGS_HISTORY_SHOWN = 20;
/** Terms shown: from two years back (older ones no longer count any open case's days). */
const TERMS_FROM_YEARS_BACK = 2;

const SETTINGS_ACTIONS = ['disputes.settings_changed', 'disputes.term_added', 'disputes.term_removed', 'disputes.quorum_changed'];

/** The district's settings row's periods as kept (missing keys: the defaults). */
async function keptPeriods(db: Database | Trx, districtId: number) {
	const row = await db.selectFrom('dispute_district').select(['periods', 'outcome_periods', 'version']).where('cluster_id', '=', districtId).executeTakeFirst();
	return {
		periods: { ...DEFAULT_PERIODS, ...row?.periods },
		outcomePeriods: { ...DEFAULT_OUTCOME_PERIODS, ...row?.outcome_periods },
		version: row?.version ?? 0
	};
}

/** The settings page: periods, terms and the recent history of changes, for the district's SENDIASS officers. */
export async function districtSettingsView(db: Database, actor: Actor | null, districtId: number, now = new Date()): Promise<DistrictSettingsView> {
	const district = await districtRef(db, districtId);
	assertCan(actor, { action: 'disputes.settings.manage', district });
	const from = `${now.getUTCFullYear() - TERMS_FROM_YEARS_BACK}-01-01`;
	const [kept, terms, history] = await Promise.all([
		keptPeriods(db, district.id),
		db.selectFrom('dispute_term').select(['id', 'starts_on as start', 'ends_on as end']).where('district_id', '=', district.id).where('ends_on', '>=', from).orderBy('starts_on').execute(),
		db
			.selectFrom('audit_log as a')
			.leftJoin('app_user as u', 'u.id', 'a.actor_id')
			.select(['a.created_at', 'u.name', 'a.detail', 'a.reason'])
			.where('a.subject_type', '=', 'dispute_district')
			.where('a.subject_id', '=', district.id)
			.where('a.action', 'in', SETTINGS_ACTIONS)
			.orderBy('a.id', 'desc')
			.limit(SETTINGS_HISTORY_SHOWN)
			.execute()
	]);
	return {
		district,
		...kept,
		terms,
		history: history.map((h) => ({ at: h.created_at, by: h.name, summary: typeof h.detail.summary === 'string' ? h.detail.summary : '', reason: h.reason }))
	};
}

/**
 * Asks the policy on the district first (the rule is about the person's role there, not about the
 * settings row), so nobody refused can make a row or hold a lock; then makes sure the district has
 * its settings row (the defaults) and locks it: every settings write (periods, terms, the quorum
 * rule) goes through this lock. A row made here starts at version 0, as the page shows a district without one.
 */
export async function lockSettings(
	trx: Trx,
	actor: Actor | null,
	districtId: number,
	action: 'disputes.settings.manage' | 'disputes.pool.manage'
): Promise<{ actor: Actor; district: DistrictRef; version: number }> {
	const district = await districtRef(trx, districtId);
	assertCan(actor, { action, district });
	await trx
		.insertInto('dispute_district')
		.values({ cluster_id: district.id, periods: JSON.stringify(DEFAULT_PERIODS), quorum: JSON.stringify(DEFAULT_QUORUM), version: 0 })
		.onConflict((oc) => oc.column('cluster_id').doNothing())
		.execute();
	const row = await trx.selectFrom('dispute_district').select('version').where('cluster_id', '=', district.id).forUpdate().executeTakeFirstOrThrow();
	return { actor, district, version: row.version };
}

/** A period's name in the history, as the page labels it. */
const periodName = (key: string) => ownValue(PERIOD_LABELS, key) ?? ownValue(OUTCOME_PERIOD_LABELS, key) ?? key;
const periodWords = (p: { count: number; unit: string }) => `${p.count} ${{ calendar: 'days', working: 'working days', school: 'school days', months: 'months' }[p.unit] ?? p.unit}`;

/**
 * Saves the district's periods against the version seen. Saving what is already kept changes
 * nothing (a second submit of the same form is harmless); a change someone else made meanwhile
 * is refused (409) so the officer checks it first. Cases' stored deadlines do not move.
 */
export async function saveDisputePeriods(db: Database, actor: Actor | null, raw: unknown): Promise<{ version: number; changed: number }> {
	const input = parseInput(periodsSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { district, version } = await lockSettings(work.trx, actor, input.districtId, 'disputes.settings.manage');
		const kept = await keptPeriods(work.trx, district.id);
		const changes = [...changedPeriods(kept.periods, input.periods), ...changedPeriods(kept.outcomePeriods, input.outcomePeriods)];
		if (changes.length === 0) return { version, changed: 0 };
		if (version !== input.version) throw conflict('Someone else changed these settings while you were looking at them. Check what is kept now and save again.');
		const saved = await work.trx
			.updateTable('dispute_district')
			.set((eb) => ({ periods: JSON.stringify(input.periods), outcome_periods: JSON.stringify(input.outcomePeriods), version: eb('version', '+', 1) }))
			.where('cluster_id', '=', district.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'disputes.settings_changed',
			subject: { type: 'dispute_district', id: district.id },
			summary: `Changed ${district.name}’s dispute periods: ${changes.map((c) => `${periodName(c.key)} from ${periodWords(c.before)} to ${periodWords(c.after)}`).join('; ')}`,
			reason: input.reason,
			detail: { version: saved.version, changes }
		});
		return { version: saved.version, changed: changes.length };
	});
}

async function districtTerms(trx: Trx, districtId: number): Promise<(Term & { id: number })[]> {
	return trx.selectFrom('dispute_term').select(['id', 'starts_on as start', 'ends_on as end']).where('district_id', '=', districtId).orderBy('starts_on').execute();
}

/** Adds a term (end after start, overlapping none kept); the same term again does nothing. */
export async function addDisputeTerm(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	const input = parseInput(termSchema, raw);
	const term: Term = { start: input.startsOn, end: input.endsOn };
	return transact(db, actor?.id ?? null, async (work) => {
		const { district } = await lockSettings(work.trx, actor, input.districtId, 'disputes.settings.manage');
		const existing = await districtTerms(work.trx, district.id);
		const same = existing.find((other) => sameTermKept(term, [other]));
		if (same) return { id: same.id };
		const problem = termProblem(term, existing);
		if (problem) throw invalid(problem.message, { [problem.field]: [problem.message] });
		const { id } = await work.trx.insertInto('dispute_term').values({ district_id: district.id, starts_on: term.start, ends_on: term.end }).returning('id').executeTakeFirstOrThrow();
		await work.record({
			action: 'disputes.term_added',
			subject: { type: 'dispute_district', id: district.id },
			summary: `Added a term to ${district.name}’s dispute calendar: ${formatDate(term.start)} to ${formatDate(term.end)}`,
			reason: input.reason || null,
			detail: { termId: id, start: term.start, end: term.end }
		});
		return { id };
	});
}

/** Removes a term; one already removed is not an error (a second click does nothing). */
export async function removeDisputeTerm(db: Database, actor: Actor | null, raw: unknown): Promise<{ removed: boolean }> {
	const input = parseInput(termRemovalSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { district } = await lockSettings(work.trx, actor, input.districtId, 'disputes.settings.manage');
		const removed = await work.trx
			.deleteFrom('dispute_term')
			.where('id', '=', input.termId)
			.where('district_id', '=', district.id)
			.returning(['id', 'starts_on', 'ends_on'])
			.executeTakeFirst();
		if (!removed) return { removed: false };
		await work.record({
			action: 'disputes.term_removed',
			subject: { type: 'dispute_district', id: district.id },
			summary: `Removed a term from ${district.name}’s dispute calendar: ${formatDate(removed.starts_on)} to ${formatDate(removed.ends_on)}`,
			reason: input.reason || null,
			detail: { termId: removed.id, start: removed.starts_on, end: removed.ends_on }
		});
		return { removed: true };
	});
}
