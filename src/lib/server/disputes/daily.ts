import { sql } from 'kysely';
import type { Database } from '../db';
import type { ScheduledJob } from '../jobs/scheduler';
import { log } from '../log';
import { messageOf } from '../errors';
import { transact, type Work } from '../work';
import type { CaseStatus, DisputePeriods } from '$lib/disputes/model';
import type { FlagLevel } from '$lib/disputes/outcome';
import { addCalendarDays, endOfPeriod, londonDate, type DisputeCalendar } from './calendar';
import { calendarAround, districtSettings } from './cases';
import { outcomePeriods } from './outcome';
import { anonymisedDetail, flagLevel, retentionBlock } from './outcome-rules';

// The disputes' daily job, run once across all instances by the scheduler: it flags cases
// approaching or past a target or a statutory deadline (shown in the district's case list and on
// its officers' home pages), chases overdue agreed actions (once a week each), and anonymises
// closed and withdrawn cases once the district's retention period has passed, unless an officer
// has placed a legal hold. Each district's flags, each chase and each anonymisation is its own
// short transaction, so one failure never undoes the rest; a district whose flags fail is logged
// and the later districts are still flagged.

export const DAILY_MS = 24 * 60 * 60 * 1000;
/** An overdue action is chased again after this many days. */
export const CHASE_EVERY_DAYS = 7;

const OPEN: readonly CaseStatus[] = ['referred', 'scheduling', 'booked', 'met', 'outcome'];

export interface DailyCounts {
	flagged: number;
	chased: number;
	anonymised: number;
	held: number;
	/** Districts whose flags could not be written this run (they keep their earlier flags). */
	failedDistricts: number[];
}

/** What one run of the flags did: how many stand, and which districts failed. */
export interface FlagRun {
	flagged: number;
	failedDistricts: number[];
}

type Trx = Work['trx'];

interface Flag {
	case_id: number;
	key: string;
	what: string;
	level: FlagLevel;
	due_on: string;
}

/** The targets and deadlines of one district's open cases, flagged if approaching or past. */
async function districtFlags(db: Database | Trx, districtId: number, today: string): Promise<Flag[]> {
	const { periods } = await districtSettings(db, districtId);
	const outcome = await outcomePeriods(db, districtId);
	const calendar = await calendarAround(db, districtId, today);
	const cases = await db
		.selectFrom('dispute_case as c')
		.leftJoin('dispute_outcome as o', 'o.case_id', 'c.id')
		.select(['c.id', 'c.status', 'c.intake_at', 'c.status_changed_at', 'o.follow_up_on'])
		.where('c.district_id', '=', districtId)
		.where('c.status', 'in', OPEN)
		.execute();
	const ids = cases.map((c) => c.id);
	const deadlines = ids.length ? await db.selectFrom('dispute_deadline').select(['case_id', 'key', 'what', 'due_on']).where('case_id', 'in', ids).execute() : [];
	const flags: Flag[] = [];
	const consider = (caseId: number, key: string, what: string, due: () => string) => {
		let dueOn: string;
		try {
			dueOn = due();
		} catch {
			// School days cannot be counted past the last term kept: the case page asks for term dates.
			return;
		}
		const level = flagLevel(dueOn, today, outcome, calendar);
		if (level) flags.push({ case_id: caseId, key, what, level, due_on: dueOn });
	};
	for (const c of cases) {
		if (c.status === 'referred' || c.status === 'scheduling' || c.status === 'booked') {
			consider(c.id, 'target_meeting', 'Meet within the district’s target from referral', () => target(londonDate(c.intake_at), periods.referralToMeeting, calendar));
		}
		if (c.status === 'met') consider(c.id, 'target_outcome', 'Record the written outcome within the district’s target', () => target(londonDate(c.status_changed_at), periods.meetingToOutcome, calendar));
		if (c.status === 'outcome' && c.follow_up_on) consider(c.id, 'follow_up', 'Follow-up check', () => c.follow_up_on!);
	}
	for (const d of deadlines) consider(d.case_id, `deadline_${d.key}`, d.what, () => d.due_on);
	return flags;
}

const target = (from: string, period: DisputePeriods['referralToMeeting'], calendar: DisputeCalendar) => endOfPeriod(from, period, calendar);

/**
 * Replaces one district's flags in its transaction: worked out there, and each written with the
 * district its case has in the same statement, the case read under a key-share lock. A case moved
 * to another district meanwhile is rechecked once the move commits and left out (its new district
 * flags it), so a flag can never name a district its case has left; returns how many were written.
 */
async function replaceDistrictFlags(trx: Trx, districtId: number, today: string): Promise<number> {
	const flags = await districtFlags(trx, districtId, today);
	await trx.deleteFrom('dispute_flag').where('district_id', '=', districtId).execute();
	if (!flags.length) return 0;
	const column = <K extends keyof Flag>(key: K) => sql.val(flags.map((flag) => flag[key]));
	const { rows } = await sql<{ case_id: number }>`
		insert into dispute_flag (case_id, district_id, key, what, level, due_on)
		select c.id, c.district_id, f.key, f.what, f.level, f.due_on
		from unnest(${column('case_id')}::int[], ${column('key')}::text[], ${column('what')}::text[], ${column('level')}::text[], ${column('due_on')}::date[]) as f(case_id, key, what, level, due_on)
		join dispute_case c on c.id = f.case_id
		where c.district_id = ${districtId} and c.status = any(${sql.val(OPEN)}::text[])
		for key share of c
		returning case_id`.execute(trx);
	return rows.length;
}

/**
 * Raises and clears flags district by district: a district that fails is logged and named in the
 * result, and the rest go on. The daily job reports the run as failed when any district did.
 */
export async function flagCases(db: Database, today: string): Promise<FlagRun> {
	const districts = await db.selectFrom('dispute_case').select('district_id').distinct().where('status', 'in', OPEN).orderBy('district_id').execute();
	let flagged = 0;
	const failedDistricts: number[] = [];
	for (const { district_id: districtId } of districts) {
		try {
			flagged += await db.transaction().execute((trx) => replaceDistrictFlags(trx, districtId, today));
		} catch (error) {
			failedDistricts.push(districtId);
			log.error({ err: messageOf(error), districtId }, 'disputes: a district’s flags could not be written; the other districts go on');
		}
	}
	// Cases that have ended keep no flags.
	await db
		.deleteFrom('dispute_flag')
		.where('case_id', 'in', db.selectFrom('dispute_case').select('id').where('status', 'not in', OPEN))
		.execute();
	return { flagged, failedDistricts };
}

/** Chases each overdue agreed action of an open case: its owner (or the setting's head and SENCO, or the officers for the family's). */
export async function chaseOverdueActions(db: Database, today: string): Promise<number> {
	const due = await db
		.selectFrom('dispute_action as a')
		.innerJoin('dispute_case as c', 'c.id', 'a.case_id')
		.select(['a.id', 'a.case_id', 'a.owner_kind', 'a.owner_user_id', 'a.due_on', 'c.reference', 'c.district_id', 'c.setting_id'])
		.where('a.done_at', 'is', null)
		.where('a.due_on', '<', today)
		.where('c.status', '=', 'outcome')
		.where((eb) => eb.or([eb('a.chased_on', 'is', null), eb('a.chased_on', '<=', addCalendarDays(today, -CHASE_EVERY_DAYS))]))
		.orderBy('a.due_on')
		.orderBy('a.id')
		.execute();
	let chased = 0;
	for (const action of due) {
		const officers = await db.selectFrom('cluster_role').select('user_id').where('cluster_id', '=', action.district_id).where('role', '=', 'sendiass_officer').execute();
		const staff =
			action.owner_kind === 'setting' && action.setting_id !== null
				? await db.selectFrom('setting_membership').select('user_id').where('setting_id', '=', action.setting_id).where('role', 'in', ['headteacher', 'senco']).execute()
				: [];
		const owners = action.owner_kind === 'user' && action.owner_user_id !== null ? [action.owner_user_id] : staff.map((s) => s.user_id);
		await transact(db, null, async (work) => {
			// Claimed under the row's update, so a chase is sent once even if two runs overlap.
			const claimed = await work.trx
				.updateTable('dispute_action')
				.set({ chased_on: today })
				.where('id', '=', action.id)
				.where((eb) => eb.or([eb('chased_on', 'is', null), eb('chased_on', '<=', addCalendarDays(today, -CHASE_EVERY_DAYS))]))
				.returning('id')
				.executeTakeFirst();
			if (!claimed) return;
			await work.record({
				action: 'disputes.action_chased',
				subject: { type: 'dispute_case', id: action.case_id },
				summary: `Chased an overdue agreed action on ${action.reference} (due ${action.due_on})`,
				detail: { actionId: action.id, owner: action.owner_kind },
				notify: { userIds: [...owners, ...officers.map((o) => o.user_id)], title: `An action agreed on ${action.reference} is overdue`, link: `/disputes/${action.case_id}/outcome`, kind: 'disputes.action_overdue' }
			});
			chased += 1;
		});
	}
	return chased;
}

/** Anonymises one case under its lock, unless a hold was placed meanwhile; true when it did. */
export async function anonymiseCase(db: Database, caseId: number, now: Date): Promise<boolean> {
	return transact(db, null, async (work) => {
		const row = await work.trx.selectFrom('dispute_case').select(['id', 'reference', 'legal_hold', 'anonymised_at', 'status']).where('id', '=', caseId).forUpdate().executeTakeFirst();
		if (!row || row.anonymised_at || row.legal_hold || (row.status !== 'closed' && row.status !== 'withdrawn')) return false;
		const { trx } = work;
		await trx
			.updateTable('dispute_case')
			.set((eb) => ({ child_initials: '', tried: '', outcome_sought: '', child_views: '', supporter: '', interpreter: '', adjustments: '', end_reason: null, legal_hold_reason: null, anonymised_at: now, version: eb('version', '+', 1) }))
			.where('id', '=', caseId)
			.execute();
		await trx.updateTable('dispute_outcome').set({ summary: '' }).where('case_id', '=', caseId).execute();
		await trx.updateTable('dispute_action').set({ description: '' }).where('case_id', '=', caseId).execute();
		await trx.updateTable('dispute_feedback').set({ comment: '' }).where('case_id', '=', caseId).execute();
		await trx.updateTable('dispute_deadline').set({ note: '' }).where('case_id', '=', caseId).execute();
		// The parties' statements and papers are the family's and the school's own words: removed, not kept.
		await trx.updateTable('dispute_statement').set({ party_text: '', redacted_text: '' }).where('case_id', '=', caseId).execute();
		await trx.deleteFrom('dispute_paper').where('case_id', '=', caseId).execute();
		const entries = await trx.selectFrom('audit_log').select(['id', 'detail']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', caseId).execute();
		for (const entry of entries) {
			await trx.updateTable('audit_log').set({ detail: JSON.stringify(anonymisedDetail(entry.detail)), reason: null }).where('id', '=', entry.id).execute();
		}
		await work.record({ action: 'disputes.case_anonymised', subject: { type: 'dispute_case', id: caseId }, summary: `Anonymised ${row.reference} after its retention period`, detail: { status: row.status } });
		return true;
	});
}

/** Anonymises the closed and withdrawn cases past their district's retention period; held cases are counted, not touched. */
export async function anonymiseExpiredCases(db: Database, today: string, now: Date): Promise<{ anonymised: number; held: number }> {
	const candidates = await db
		.selectFrom('dispute_case')
		.select(['id', 'district_id', 'status', 'status_changed_at', 'legal_hold'])
		.where('status', 'in', ['closed', 'withdrawn'])
		.where('anonymised_at', 'is', null)
		.orderBy('status_changed_at')
		.orderBy('id')
		.execute();
	const retention = new Map<number, DisputePeriods['retention']>();
	let anonymised = 0;
	let held = 0;
	for (const c of candidates) {
		if (!retention.has(c.district_id)) retention.set(c.district_id, (await districtSettings(db, c.district_id)).periods.retention);
		const block = retentionBlock({ status: c.status, endedOn: londonDate(c.status_changed_at), legalHold: c.legal_hold, anonymised: false }, today, retention.get(c.district_id)!);
		if (block === 'A legal hold stands') held += 1;
		if (block) continue;
		if (await anonymiseCase(db, c.id, now)) anonymised += 1;
	}
	return { anonymised, held };
}

/** One day's run: flags, chases, anonymisation (a district whose flags fail does not stop the chases or the anonymisation). */
export async function runDisputesDaily(db: Database, now = new Date()): Promise<DailyCounts> {
	const today = londonDate(now);
	const { flagged, failedDistricts } = await flagCases(db, today);
	const chased = await chaseOverdueActions(db, today);
	const { anonymised, held } = await anonymiseExpiredCases(db, today, now);
	return { flagged, chased, anonymised, held, failedDistricts };
}

/** Why a run that finished should still be reported as failed, or null. */
export function dailyRunProblem(counts: DailyCounts): string | null {
	if (!counts.failedDistricts.length) return null;
	return `flags could not be written for district ${counts.failedDistricts.join(', ')} (they keep their earlier flags); the chases and anonymisation ran`;
}

export function disputesDailyJob(): ScheduledJob {
	return {
		name: 'disputes-daily',
		intervalMs: DAILY_MS,
		async run(db) {
			try {
				const counts = await runDisputesDaily(db);
				log.info(counts, 'disputes: daily flags, chases and anonymisation done');
				// Thrown after the rest has run, so the scheduler records the run as failed (scheduled_job.last_error) and logs it.
				const problem = dailyRunProblem(counts);
				if (problem) throw new Error(problem);
			} catch (error) {
				log.error({ err: messageOf(error) }, 'disputes: daily job failed');
				throw error;
			}
		}
	};
}
