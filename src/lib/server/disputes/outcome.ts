import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { actionDoneSchema, actionSchema, endSchema, feedbackSchema, holdSchema, meetingSchema, outcomeSchema } from '$lib/schemas/dispute-outcome';
import { DEFAULT_OUTCOME_PERIODS, LEGAL_HOLD_LABELS, OUTCOME_RESULT_LABELS, type ActionOwnerKind, type EscalationStep, type FeedbackParty, type LegalHold, type OutcomePeriods, type OutcomeResult } from '$lib/disputes/outcome';
import type { CaseStatus, OtherParty } from '$lib/disputes/model';
import { londonDate } from './calendar';
import { formatDateTime } from '$lib/format';
import { calendarAround, caseRef } from './cases';
import { escalationRoute, escalationSteps, followUpDate } from './outcome-rules';

// The outcome of a met case and everything after it: the agreement (resolved, partly, not), the
// jointly agreed actions, the escalation route and its dates if unresolved, the follow-up date,
// feedback, closing or withdrawing with a reason, and the legal hold. Each step is one
// transaction under the case's row lock, asks the policy on what it locked, and is recorded
// (who, when, why) on the case's timeline, naming the case by reference only.

type Trx = Work['trx'];

/** The district's outcome periods (the defaults for any its officers have not changed). */
export async function outcomePeriods(db: Database | Trx, districtId: number): Promise<OutcomePeriods> {
	const row = await db.selectFrom('dispute_district').select('outcome_periods').where('cluster_id', '=', districtId).executeTakeFirst();
	return { ...DEFAULT_OUTCOME_PERIODS, ...row?.outcome_periods };
}

/** The case under its row lock (or plainly, for a read), as the policy reads it. */
export const lockedCase = (db: Database | Trx, caseId: number, lock: boolean) => caseRef(db, caseId, lock);

const ENDED: readonly CaseStatus[] = ['closed', 'withdrawn', 'routed_out'];
const bump = (work: Work, caseId: number, set: Record<string, unknown> = {}) =>
	work.trx
		.updateTable('dispute_case')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', caseId)
		.execute();

function checkVersion(row: { version: number }, version: number) {
	if (row.version !== version) throw conflict('Someone else changed this case while you were looking at it. Check it and try again.');
}

/** People an action can be given to by name: the setting's head and SENCO, and the district's SENDIASS officers. */
export async function actionOwners(db: Database | Trx, districtId: number, settingId: number | null): Promise<{ id: number; name: string }[]> {
	const officers = db.selectFrom('cluster_role as r').innerJoin('app_user as u', 'u.id', 'r.user_id').select(['u.id', 'u.name']).where('r.cluster_id', '=', districtId).where('r.role', '=', 'sendiass_officer');
	const rows =
		settingId === null
			? await officers.execute()
			: await officers
					.union(db.selectFrom('setting_membership as m').innerJoin('app_user as u', 'u.id', 'm.user_id').select(['u.id', 'u.name']).where('m.setting_id', '=', settingId).where('m.role', 'in', ['headteacher', 'senco']))
					.execute();
	return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id - b.id);
}

/**
 * The officer records that the booked meeting took place, once its start time has passed: the case
 * moves to "Panel has met" and its outcome can be recorded (the meeting-to-outcome target counts from
 * here). Recording it again is harmless.
 */
export async function recordMeeting(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ already: boolean }> {
	const input = parseInput(meetingSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.outcome.record', case: ref });
		if (row.status === 'met') return { already: true };
		if (row.status !== 'booked') throw invalid('Only a case with a booked meeting can be marked as met.');
		checkVersion(row, input.version);
		const slot = await work.trx
			.selectFrom('dispute_poll as p')
			.innerJoin('dispute_slot as s', 's.id', 'p.booked_slot_id')
			.select('s.starts_at')
			.where('p.case_id', '=', row.id)
			.where('p.cancelled_at', 'is', null)
			.executeTakeFirst();
		if (!slot) throw invalid('No meeting is booked for this case.');
		if (slot.starts_at > now) throw invalid(`The meeting is booked for ${formatDateTime(slot.starts_at)}. Record that it took place once it has.`);
		await bump(work, row.id, { status: 'met', status_changed_at: now });
		await work.record({
			action: 'disputes.panel_met',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Recorded that the panel for ${row.reference} met`,
			detail: { status: 'met' }
		});
		return { already: false };
	});
}

/** The officer records the outcome the parties reached; unresolved, it works out the escalation route and its dates. */
export async function recordOutcome(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ escalation: EscalationStep[]; followUpOn: string }> {
	const input = parseInput(outcomeSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.outcome.record', case: ref });
		if (row.status === 'outcome') throw invalid('The outcome of this case is already recorded.');
		if (row.status !== 'met') throw invalid('An outcome can be recorded only once the panel has met.');
		checkVersion(row, input.version);
		const today = londonDate(now);
		const metOn = londonDate(row.status_changed_at);
		const periods = await outcomePeriods(work.trx, row.district_id);
		const calendar = await calendarAround(work.trx, row.district_id, today);
		let escalation: EscalationStep[] = [];
		let followUpOn: string;
		try {
			escalation = input.result === 'resolved' ? [] : escalationSteps(escalationRoute(row.other_party, row.category), today, periods, calendar);
			followUpOn = followUpDate(today, periods, calendar);
		} catch {
			throw invalid(`Add ${ref.district.name}’s term dates for the coming year first: the escalation dates are counted in school days.`);
		}
		await work.trx
			.insertInto('dispute_outcome')
			.values({ case_id: row.id, result: input.result, summary: input.summary, met_on: metOn, escalation: JSON.stringify(escalation), follow_up_on: followUpOn, recorded_by: actor!.id })
			.execute();
		await bump(work, row.id, { status: 'outcome', status_changed_at: now });
		await work.record({
			action: 'disputes.outcome_recorded',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Recorded the outcome of ${row.reference}: ${OUTCOME_RESULT_LABELS[input.result].toLowerCase()}`,
			detail: { result: input.result, status: 'outcome', escalation: escalation.map((s) => ({ key: s.key, due: s.due })), followUpOn }
		});
		return { escalation, followUpOn };
	});
}

/** The officer adds an action the parties agreed, with its owner and due date. */
export async function addAction(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	const input = parseInput(actionSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.action.manage', case: ref });
		if (row.status !== 'outcome') throw invalid('Agreed actions are added once the outcome is recorded and until the case is closed.');
		if (input.ownerKind === 'setting' && row.setting_id === null) throw invalid('This case is not with a setting in the portal.', { ownerKind: ['Choose the family or a named person'] });
		const ownerUserId = input.ownerKind === 'user' ? input.ownerUserId : null;
		if (ownerUserId !== null && !(await actionOwners(work.trx, row.district_id, row.setting_id)).some((p) => p.id === ownerUserId)) {
			throw invalid('That person cannot own an action on this case.', { ownerUserId: ['Choose someone from the list'] });
		}
		const inserted = await work.trx
			.insertInto('dispute_action')
			.values({ case_id: row.id, description: input.description, owner_kind: input.ownerKind, owner_user_id: ownerUserId, due_on: input.dueOn, created_by: actor!.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await bump(work, row.id);
		await work.record({
			action: 'disputes.action_agreed',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Added an agreed action to ${row.reference}, due ${input.dueOn}`,
			detail: { actionId: inserted.id, owner: input.ownerKind, due: input.dueOn },
			...(ownerUserId !== null && ownerUserId !== actor!.id ? { notify: { userIds: [ownerUserId], title: `An action agreed on ${row.reference} is yours`, link: `/disputes/${row.id}/outcome`, kind: 'disputes.action' } } : {})
		});
		return { id: inserted.id };
	});
}

/** The officer marks an agreed action done (again is harmless). */
export async function completeAction(db: Database, actor: Actor | null, raw: unknown): Promise<{ alreadyDone: boolean }> {
	const input = parseInput(actionDoneSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.action.manage', case: ref });
		const action = await work.trx.selectFrom('dispute_action').select(['id', 'done_at']).where('id', '=', input.actionId).where('case_id', '=', row.id).executeTakeFirst();
		if (!action) throw notFound('That action');
		if (action.done_at) return { alreadyDone: true };
		await work.trx.updateTable('dispute_action').set({ done_at: new Date() }).where('id', '=', action.id).execute();
		await bump(work, row.id);
		await work.record({ action: 'disputes.action_done', subject: { type: 'dispute_case', id: row.id }, summary: `Marked an agreed action on ${row.reference} done`, detail: { actionId: action.id } });
		return { alreadyDone: false };
	});
}

/** The officer records a party's feedback after the follow-up. */
export async function recordFeedback(db: Database, actor: Actor | null, raw: unknown): Promise<void> {
	const input = parseInput(feedbackSchema, raw);
	await transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.feedback.record', case: ref });
		if (row.status !== 'outcome' && row.status !== 'closed') throw invalid('Feedback is recorded once the outcome is recorded.');
		if (row.anonymised_at) throw invalid('This case has been anonymised.');
		const existing = await work.trx.selectFrom('dispute_feedback').select('id').where('case_id', '=', row.id).where('party', '=', input.party).executeTakeFirst();
		if (existing) throw invalid(`${input.party === 'family' ? 'The family’s' : 'The setting’s'} feedback is already recorded.`, { party: ['This party’s feedback is already recorded'] });
		await work.trx.insertInto('dispute_feedback').values({ case_id: row.id, party: input.party, rating: input.rating, comment: input.comment, recorded_by: actor!.id }).execute();
		await bump(work, row.id);
		await work.record({
			action: 'disputes.feedback_recorded',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Recorded ${input.party === 'family' ? 'the family’s' : 'the setting’s'} feedback on ${row.reference}`,
			detail: { party: input.party, rating: input.rating }
		});
	});
}

/** The officer closes a case after its outcome, or withdraws it at any earlier stage, with the reason. */
export async function endCase(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ status: CaseStatus }> {
	const input = parseInput(endSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.case.end', case: ref });
		if (ENDED.includes(row.status)) throw invalid('This case has already ended.');
		checkVersion(row, input.version);
		if (input.kind === 'close' && row.status !== 'outcome') throw invalid('A case is closed after its outcome is recorded; before that it can be withdrawn.', { kind: ['Choose withdraw'] });
		const status: CaseStatus = input.kind === 'close' ? 'closed' : 'withdrawn';
		await bump(work, row.id, { status, status_changed_at: now, end_reason: input.reason });
		await work.record({
			action: input.kind === 'close' ? 'disputes.case_closed' : 'disputes.case_withdrawn',
			subject: { type: 'dispute_case', id: row.id },
			summary: `${input.kind === 'close' ? 'Closed' : 'Withdrew'} ${row.reference}`,
			reason: input.reason,
			detail: { status }
		});
		return { status };
	});
}

/** The officer places a legal hold (an Ombudsman complaint or a Tribunal appeal pending) or lifts it, with the reason. */
export async function setLegalHold(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<void> {
	const input = parseInput(holdSchema, raw);
	await transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await lockedCase(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.case.hold', case: ref });
		checkVersion(row, input.version);
		if (row.anonymised_at) throw invalid('This case has already been anonymised.');
		if (input.hold === null && row.legal_hold === null) throw invalid('This case has no legal hold to lift.');
		await bump(work, row.id, { legal_hold: input.hold, legal_hold_reason: input.hold ? input.reason : null, legal_hold_at: input.hold ? now : null });
		await work.record({
			action: input.hold ? 'disputes.hold_placed' : 'disputes.hold_lifted',
			subject: { type: 'dispute_case', id: row.id },
			summary: input.hold ? `Placed a legal hold on ${row.reference}: ${LEGAL_HOLD_LABELS[input.hold].toLowerCase()}` : `Lifted the legal hold on ${row.reference}`,
			reason: input.reason,
			detail: { hold: input.hold ?? 'none' }
		});
	});
}

export interface ActionView {
	id: number;
	description: string;
	ownerKind: ActionOwnerKind;
	owner: string;
	dueOn: string;
	done: boolean;
	overdue: boolean;
}

export interface TimelineEntry {
	id: number;
	action: string;
	at: Date;
	who: string | null;
	summary: string;
	reason: string | null;
}

/** What the setting's head and SENCO (and anyone else who sees the status) see: the status and the agreed actions. */
export interface OutcomeActionsView {
	level: 'actions';
	id: number;
	reference: string;
	status: CaseStatus;
	actions: ActionView[];
}

export interface OutcomeDetailsView {
	level: 'details';
	id: number;
	reference: string;
	status: CaseStatus;
	version: number;
	district: { id: number; name: string };
	otherParty: OtherParty;
	hasSetting: boolean;
	outcome: { result: OutcomeResult; summary: string; metOn: string; escalation: EscalationStep[]; followUpOn: string; recordedAt: Date } | null;
	actions: ActionView[];
	feedback: { party: FeedbackParty; rating: number; comment: string; recordedAt: Date }[];
	endReason: string | null;
	legalHold: LegalHold | null;
	legalHoldReason: string | null;
	anonymised: boolean;
	owners: { id: number; name: string }[];
	/** Whether this person records and changes things here (the district's SENDIASS officers). */
	manages: boolean;
	timeline: TimelineEntry[];
}

/** Timeline entries shown on the outcome page, newest first. */
export const TIMELINE_SHOWN = 50;

async function logView(db: Database, caseId: number, viewerId: number | null, what: string, refusal: string | null): Promise<void> {
	await db.insertInto('dispute_case_view').values({ case_id: caseId, viewer_id: viewerId, what, allowed: refusal === null, reason: refusal }).execute();
}

async function actionsOf(db: Database, caseId: number, today: string, settingName: string | null): Promise<ActionView[]> {
	const rows = await db
		.selectFrom('dispute_action as a')
		.leftJoin('app_user as u', 'u.id', 'a.owner_user_id')
		.select(['a.id', 'a.description', 'a.owner_kind', 'u.name as owner_name', 'a.due_on', 'a.done_at'])
		.where('a.case_id', '=', caseId)
		.orderBy('a.due_on')
		.orderBy('a.id')
		.execute();
	return rows.map((a) => ({
		id: a.id,
		description: a.description,
		ownerKind: a.owner_kind,
		owner: a.owner_kind === 'family' ? 'The family' : a.owner_kind === 'setting' ? (settingName ?? 'The setting') : (a.owner_name ?? 'A removed account'),
		dueOn: a.due_on,
		done: a.done_at !== null,
		overdue: a.done_at === null && a.due_on < today
	}));
}

/** Opens the outcome page at the level the policy allows, logging the look (a refusal too). */
export async function openOutcome(db: Database, actor: Actor | null, caseId: number, now = new Date()): Promise<OutcomeDetailsView | OutcomeActionsView> {
	const { row, ref } = await lockedCase(db, caseId, false);
	const today = londonDate(now);
	const setting = row.setting_id === null ? null : await db.selectFrom('setting').select('name').where('id', '=', row.setting_id).executeTakeFirst();
	const details = can(actor, { action: 'disputes.outcome.view', case: ref });
	if (!details.allowed) {
		const actions = can(actor, { action: 'disputes.actions.view', case: ref });
		await logView(db, row.id, actor?.id ?? null, 'outcome: status and agreed actions', actions.allowed ? null : actions.reason);
		if (!actions.allowed) throw forbidden(actions.reason);
		return { level: 'actions', id: row.id, reference: row.reference, status: row.status, actions: await actionsOf(db, row.id, today, setting?.name ?? null) };
	}
	await logView(db, row.id, actor!.id, 'outcome', null);
	const manages = can(actor, { action: 'disputes.outcome.record', case: ref }).allowed;
	const [outcome, actions, feedback, owners, timeline] = await Promise.all([
		db.selectFrom('dispute_outcome').selectAll().where('case_id', '=', row.id).executeTakeFirst(),
		actionsOf(db, row.id, today, setting?.name ?? null),
		db.selectFrom('dispute_feedback').select(['party', 'rating', 'comment', 'recorded_at']).where('case_id', '=', row.id).orderBy('party').execute(),
		manages ? actionOwners(db, row.district_id, row.setting_id) : [],
		db
			.selectFrom('audit_log as a')
			.leftJoin('app_user as u', 'u.id', 'a.actor_id')
			.select(['a.id', 'a.action', 'a.created_at', 'u.name', 'a.detail', 'a.reason'])
			.where('a.subject_type', '=', 'dispute_case')
			.where('a.subject_id', '=', row.id)
			.orderBy('a.id', 'desc')
			.limit(TIMELINE_SHOWN)
			.execute()
	]);
	return {
		level: 'details',
		id: row.id,
		reference: row.reference,
		status: row.status,
		version: row.version,
		district: ref.district,
		otherParty: row.other_party,
		hasSetting: row.setting_id !== null,
		outcome: outcome ? { result: outcome.result, summary: outcome.summary, metOn: outcome.met_on, escalation: outcome.escalation, followUpOn: outcome.follow_up_on, recordedAt: outcome.recorded_at } : null,
		actions,
		feedback: feedback.map((f) => ({ party: f.party, rating: f.rating, comment: f.comment, recordedAt: f.recorded_at })),
		endReason: row.end_reason,
		legalHold: row.legal_hold,
		legalHoldReason: row.legal_hold_reason,
		anonymised: row.anonymised_at !== null,
		owners,
		manages,
		timeline: timeline.map((t) => ({ id: t.id, action: t.action, at: t.created_at, who: t.name, summary: typeof t.detail.summary === 'string' ? t.detail.summary : 'Changed the case', reason: t.reason }))
	};
}
