import { sql } from 'kysely';
import type { Database } from '../db';
import { loadActor, type Actor } from '../auth/actor';
import { generateToken, hashToken } from '../auth/session';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact, absoluteUrl, type Work } from '../work';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { keysetPage, type Cursor, type KeyKind, type KeysetPage } from '../paging';
import { answersSchema, bookingSchema, cancelSchema, conflictSchema, pollSchema } from '$lib/schemas/disputes-panel';
import { pollRoom } from '$lib/disputes/live';
import type { Answer, CaseStatus, PanelRole, SlotMode } from '$lib/disputes/model';
import { calendarAround, caseRef, districtSettings } from './cases';
import { endOfLondonDay } from './calendar';
import { bookingProblem, eligibility, rankSlots, type CaseConflicts, type PoolMember, type RankedSlot } from './rules';
import { caseConflicts, poolOf } from './pool';
import { checkSlots, slotWhen } from './scheduling';
import { meetingIcs, meetingUid } from './ics';
import type { DistrictRef, PollRef } from './policy';

// The scheduling poll. The officer confirms the family's and the school's availability and
// proposes candidate slots; every eligible member of the district's pool (council employees,
// advisers and the conflicted left out) is asked by email with a link of their own, and on their
// page. Members answer yes / if need be / no, only for themselves and only until the closing date;
// the officer is told when everyone has answered and watches the ranking change live. Booking
// refuses a slot without a quorum, sets the case to booked and sends each attendee an `.ics`
// invitation; rescheduling and cancelling update the same calendar entry (stable UID, rising
// SEQUENCE). Emails and events name the case by reference only.

type Trx = Work['trx'];

const pollLink = (pollId: number) => `/disputes/polls/${pollId}`;
const answerLink = (token: string) => `/panel-answer/${token}`;

interface PollRow {
	id: number;
	case_id: number;
	reference: string;
	status: CaseStatus;
	district_id: number;
	district_name: string;
	setting_id: number | null;
	family_availability: string;
	school_availability: string;
	closes_at: Date;
	all_answered_at: Date | null;
	booked_slot_id: number | null;
	booked_member_ids: number[];
	ics_uid: string;
	ics_sequence: number;
	cancelled_at: Date | null;
	created_by: number | null;
	version: number;
}

interface LoadedPoll {
	row: PollRow;
	ref: PollRef;
	pool: PoolMember[];
	conflicts: CaseConflicts;
	invited: number[];
}

/** A poll with what the rules read: the pool, the case's conflicts, who was asked. Locked when writing. */
async function loadPoll(db: Database | Trx, pollId: number, now: Date, lock = false): Promise<LoadedPoll> {
	let query = db
		.selectFrom('dispute_poll as p')
		.innerJoin('dispute_case as c', 'c.id', 'p.case_id')
		.innerJoin('cluster as d', 'd.id', 'c.district_id')
		.select([
			'p.id',
			'p.case_id',
			'c.reference',
			'c.status',
			'c.district_id',
			'd.name as district_name',
			'c.setting_id',
			'p.family_availability',
			'p.school_availability',
			'p.closes_at',
			'p.all_answered_at',
			'p.booked_slot_id',
			'p.booked_member_ids',
			'p.ics_uid',
			'p.ics_sequence',
			'p.cancelled_at',
			'p.created_by',
			'p.version'
		])
		.where('p.id', '=', pollId);
	if (lock) query = query.forUpdate('p');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That meeting poll');
	const [pool, conflicts, links] = await Promise.all([
		poolOf(db, row.district_id),
		caseConflicts(db, row.case_id, row.setting_id),
		db.selectFrom('dispute_poll_link').select('user_id').where('poll_id', '=', row.id).execute()
	]);
	const invited = links.map((l) => l.user_id);
	const conflicted = invited.filter((userId) => {
		const member = pool.find((m) => m.userId === userId);
		return !member || !eligibility(member, conflicts).eligible;
	});
	const ref: PollRef = {
		id: row.id,
		caseId: row.case_id,
		district: { id: row.district_id, name: row.district_name },
		invitedMemberIds: invited,
		conflictedMemberIds: conflicted,
		open: now < row.closes_at && row.booked_slot_id === null && row.status === 'scheduling',
		closesAt: row.closes_at
	};
	return { row, ref, pool, conflicts, invited };
}

export interface OpenedPoll {
	pollId: number;
	asked: number;
	warnings: string[];
}

/**
 * Opens the case's scheduling poll: availability confirmed, candidate slots checked (none past,
 * none overlapping; outside term warned where the district counts school days), the case moves to
 * scheduling, and every eligible member is asked by email with their own link.
 */
export async function openPoll(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<OpenedPoll> {
	const input = parseInput(pollSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row: kase, ref } = await caseRef(work.trx, input.caseId, true);
		const district: DistrictRef = ref.district;
		assertCan(actor, { action: 'disputes.poll.run', district });
		if (kase.version !== input.version) throw conflict('Someone else changed this case while you were looking at it. Check it and propose the slots again.');
		if (kase.status !== 'referred') throw invalid('Slots can be proposed only for a referred case that has no meeting poll yet.');
		if (!kase.family_agreed_at || !kase.setting_agreed_at) throw invalid('Both parties must agree to take part before a meeting is arranged.');
		const { periods } = await districtSettings(work.trx, district.id);
		const calendar = await calendarAround(work.trx, district.id, input.slots[0].date);
		const checked = checkSlots(input.slots, now, calendar, periods.referralToMeeting.unit === 'school');
		if (Object.keys(checked.errors).length) throw invalid('Check the proposed slots.', checked.errors);
		if (checked.warnings.length && !input.acceptWarnings) {
			throw invalid(`${checked.warnings.join(' ')} Tick the box to propose it anyway.`, { acceptWarnings: checked.warnings });
		}
		const closesAt = endOfLondonDay(input.closesOn);
		const firstStart = Math.min(...checked.slots.map((s) => s.startsAt.getTime()));
		if (closesAt <= now) throw invalid('The closing date must be today or later.', { closesOn: ['The closing date must be today or later'] });
		if (closesAt.getTime() >= firstStart) throw invalid('The poll must close before the first slot.', { closesOn: ['Choose a closing date before the first slot'] });

		const poll = await work.trx
			.insertInto('dispute_poll')
			.values({
				case_id: kase.id,
				family_availability: input.familyAvailability,
				school_availability: input.schoolAvailability,
				closes_at: closesAt,
				ics_uid: 'pending',
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.trx.updateTable('dispute_poll').set({ ics_uid: meetingUid(kase.id, poll.id) }).where('id', '=', poll.id).execute();
		await work.trx
			.insertInto('dispute_slot')
			.values(checked.slots.map((slot, index) => ({ poll_id: poll.id, starts_at: slot.startsAt, ends_at: slot.endsAt, mode: input.slots[index].mode, place: input.slots[index].place })))
			.execute();
		await work.trx
			.updateTable('dispute_case')
			.set((eb) => ({ status: 'scheduling', status_changed_at: now, version: eb('version', '+', 1) }))
			.where('id', '=', kase.id)
			.execute();

		const [pool, conflicts] = await Promise.all([poolOf(work.trx, district.id), caseConflicts(work.trx, kase.id, kase.setting_id)]);
		const asked = pool.filter((member) => eligibility(member, conflicts).eligible);
		const emails = asked.length
			? await work.trx.selectFrom('app_user').select(['id', 'email']).where('id', 'in', asked.map((m) => m.userId)).execute()
			: [];
		const closes = closesAt.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' });
		for (const member of emails) {
			const token = generateToken();
			await work.trx.insertInto('dispute_poll_link').values({ poll_id: poll.id, user_id: member.id, token_hash: hashToken(token) }).execute();
			await work.mail({
				to: member.email,
				subject: `Panel meeting dates for ${kase.reference}`,
				text:
					`You are asked whether you can sit on the dispute-resolution panel for case ${kase.reference}.\n\n` +
					`Answer yes, if need be or no for each proposed time by ${closes} (London time):\n\n${absoluteUrl(answerLink(token))}\n\n` +
					`This link is yours alone: anyone holding it can answer as you. If you have a conflict with this case, say so on the same page.`
			});
		}
		await work.record({
			action: 'disputes.poll_opened',
			subject: { type: 'dispute_case', id: kase.id },
			summary: `Proposed ${checked.slots.length} meeting slot${checked.slots.length === 1 ? '' : 's'} for ${kase.reference} and asked ${asked.length} panel member${asked.length === 1 ? '' : 's'}`,
			detail: { pollId: poll.id, slots: checked.slots.length, asked: asked.map((m) => m.userId), warnings: checked.warnings.length },
			notify: { userIds: asked.map((m) => m.userId), title: `Panel meeting dates for ${kase.reference}`, link: pollLink(poll.id), kind: 'disputes.poll_opened' }
		});
		return { pollId: poll.id, asked: asked.length, warnings: checked.warnings };
	});
}

export interface SlotView {
	id: number;
	startsAt: Date;
	endsAt: Date;
	when: string;
	mode: SlotMode;
	place: string;
}

export interface MemberLine {
	userId: number;
	name: string;
	roles: PanelRole[];
	asked: boolean;
	/** Why they are left out of this case, or null when they may sit. */
	leftOut: string | null;
	answered: number;
}

export interface PollView {
	id: number;
	caseId: number;
	reference: string;
	status: CaseStatus;
	district: DistrictRef;
	closesAt: Date;
	open: boolean;
	version: number;
	slots: SlotView[];
	bookedSlotId: number | null;
	sequence: number;
	cancelledAt: Date | null;
	allAnsweredAt: Date | null;
	/** The officer's view: availability, the ranking and the pool's lines. */
	officer: {
		familyAvailability: string;
		schoolAvailability: string;
		ranking: RankedSlot[];
		members: MemberLine[];
		/** Each slot's answers by member id. */
		answers: Record<number, Record<number, Answer>>;
	} | null;
	/** The member's view: their own answers and whether they are conflicted. */
	member: { memberId: number; answers: Record<number, Answer>; conflicted: boolean; booked: boolean } | null;
}

async function slotsOf(db: Database | Trx, pollId: number): Promise<SlotView[]> {
	const rows = await db.selectFrom('dispute_slot').select(['id', 'starts_at', 'ends_at', 'mode', 'place']).where('poll_id', '=', pollId).orderBy('starts_at').orderBy('id').execute();
	return rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, when: slotWhen(r.starts_at, r.ends_at), mode: r.mode, place: r.place }));
}

async function answersOf(db: Database | Trx, pollId: number): Promise<{ slot_id: number; user_id: number; answer: Answer }[]> {
	return db
		.selectFrom('dispute_answer as a')
		.innerJoin('dispute_slot as s', 's.id', 'a.slot_id')
		.select(['a.slot_id', 'a.user_id', 'a.answer'])
		.where('s.poll_id', '=', pollId)
		.execute();
}

function ranking(loaded: LoadedPoll, slots: SlotView[], answers: { slot_id: number; user_id: number; answer: Answer }[], quorum: Parameters<typeof rankSlots>[3]): RankedSlot[] {
	const candidates = slots.map((slot) => ({
		slotId: slot.id,
		startsAt: slot.startsAt.toISOString(),
		answers: new Map(answers.filter((a) => a.slot_id === slot.id).map((a) => [a.user_id, a.answer] as const))
	}));
	// Only members asked count; anyone added to the pool since has not seen the slots.
	return rankSlots(candidates, loaded.pool.filter((m) => loaded.invited.includes(m.userId)), loaded.conflicts, quorum);
}

/** A poll for its district's officers (with the ranking) or for a member asked (their own answers). */
export async function openPollView(db: Database, actor: Actor | null, pollId: number, now = new Date()): Promise<PollView> {
	const loaded = await loadPoll(db, pollId, now);
	const { row, ref } = loaded;
	assertCan(actor, { action: 'disputes.poll.view', poll: ref });
	const [slots, answers] = await Promise.all([slotsOf(db, row.id), answersOf(db, row.id)]);
	const runs = can(actor, { action: 'disputes.poll.run', district: ref.district }).allowed;
	let officer: PollView['officer'] = null;
	if (runs) {
		const { quorum } = await districtSettings(db, row.district_id);
		const byMember = new Map<number, number>();
		const bySlot: Record<number, Record<number, Answer>> = {};
		for (const a of answers) {
			byMember.set(a.user_id, (byMember.get(a.user_id) ?? 0) + 1);
			(bySlot[a.slot_id] ??= {})[a.user_id] = a.answer;
		}
		officer = {
			familyAvailability: row.family_availability,
			schoolAvailability: row.school_availability,
			ranking: ranking(loaded, slots, answers, quorum),
			members: loaded.pool.map((m) => {
				const check = eligibility(m, loaded.conflicts);
				return { userId: m.userId, name: m.name, roles: [...m.roles], asked: loaded.invited.includes(m.userId), leftOut: check.eligible ? null : check.reason, answered: byMember.get(m.userId) ?? 0 };
			}),
			answers: bySlot
		};
	}
	const member: PollView['member'] = loaded.invited.includes(actor.id)
		? {
				memberId: actor.id,
				answers: Object.fromEntries(answers.filter((a) => a.user_id === actor.id).map((a) => [a.slot_id, a.answer])),
				conflicted: ref.conflictedMemberIds.includes(actor.id),
				booked: row.booked_member_ids.includes(actor.id)
			}
		: null;
	return {
		id: row.id,
		caseId: row.case_id,
		reference: row.reference,
		status: row.status,
		district: ref.district,
		closesAt: row.closes_at,
		open: ref.open,
		version: row.version,
		slots,
		bookedSlotId: row.booked_slot_id,
		sequence: row.ics_sequence,
		cancelledAt: row.cancelled_at,
		allAnsweredAt: row.all_answered_at,
		officer,
		member
	};
}

/** Tells the poll's room that answers changed, and the officer once when every member asked has answered every slot. */
async function afterAnswers(work: Work, loaded: LoadedPoll, now: Date): Promise<void> {
	await work.publish(pollRoom(loaded.row.id), 'disputes.poll.changed', { pollId: loaded.row.id });
	if (loaded.row.all_answered_at) return;
	const waitingFor = loaded.invited.filter((id) => !loaded.ref.conflictedMemberIds.includes(id));
	const [slots, answers] = await Promise.all([slotsOf(work.trx, loaded.row.id), answersOf(work.trx, loaded.row.id)]);
	const done = waitingFor.every((userId) => slots.every((slot) => answers.some((a) => a.slot_id === slot.id && a.user_id === userId)));
	if (!done) return;
	await work.trx.updateTable('dispute_poll').set({ all_answered_at: now }).where('id', '=', loaded.row.id).execute();
	const officers = await work.trx
		.selectFrom('cluster_role')
		.select('user_id')
		.where('cluster_id', '=', loaded.row.district_id)
		.where('role', '=', 'sendiass_officer')
		.execute();
	const tell = loaded.row.created_by !== null ? [loaded.row.created_by] : officers.map((o) => o.user_id);
	await work.notify(tell, {
		kind: 'disputes.poll_complete',
		title: `Every panel member asked has answered for ${loaded.row.reference}`,
		body: 'The slots are ranked: book one that makes a quorum.',
		link: pollLink(loaded.row.id)
	});
}

/** A member's answers for themselves, while the poll is open; later answers replace earlier ones. */
export async function answerPoll(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ saved: number }> {
	const input = parseInput(answersSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const loaded = await loadPoll(work.trx, input.pollId, now, true);
		assertCan(actor, { action: 'disputes.poll.answer', poll: loaded.ref, memberId: input.memberId });
		const slotIds = new Set((await slotsOf(work.trx, loaded.row.id)).map((s) => s.id));
		const stray = input.answers.find((a) => !slotIds.has(a.slotId));
		if (stray) throw invalid('That slot is not one of this meeting’s slots. Reload the page and answer again.');
		await work.trx
			.insertInto('dispute_answer')
			.values(input.answers.map((a) => ({ slot_id: a.slotId, user_id: actor.id, answer: a.answer, answered_at: now })))
			.onConflict((oc) => oc.columns(['slot_id', 'user_id']).doUpdateSet((eb) => ({ answer: eb.ref('excluded.answer'), answered_at: eb.ref('excluded.answered_at') })))
			.execute();
		await work.record({
			action: 'disputes.poll_answered',
			subject: { type: 'dispute_case', id: loaded.row.case_id },
			summary: `Answered the meeting poll for ${loaded.row.reference}`,
			detail: { pollId: loaded.row.id, answers: input.answers }
		});
		await afterAnswers(work, loaded, now);
		return { saved: input.answers.length };
	});
}

/** A member declares a conflict with the case: they leave the poll, their answers stop counting. */
export async function declareConflict(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<void> {
	const input = parseInput(conflictSchema, raw);
	await transact(db, actor?.id ?? null, async (work) => {
		const loaded = await loadPoll(work.trx, input.pollId, now, true);
		assertCan(actor, { action: 'disputes.poll.conflict', poll: loaded.ref, memberId: input.memberId });
		await work.trx.insertInto('dispute_conflict').values({ case_id: loaded.row.case_id, user_id: actor.id, declared_at: now }).onConflict((oc) => oc.doNothing()).execute();
		await work.record({
			action: 'disputes.conflict_declared',
			subject: { type: 'dispute_case', id: loaded.row.case_id },
			summary: `Declared a conflict with ${loaded.row.reference}`,
			detail: { pollId: loaded.row.id }
		});
		await afterAnswers(work, { ...loaded, ref: { ...loaded.ref, conflictedMemberIds: [...loaded.ref.conflictedMemberIds, actor.id] } }, now);
	});
}

export type LinkProblem = 'unknown';

/** The member a poll link belongs to, or `unknown` for a link that is not ours (tampered or never sent). */
export async function pollLinkHolder(db: Database, token: string): Promise<{ ok: true; pollId: number; actor: Actor } | { ok: false; problem: LinkProblem }> {
	if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return { ok: false, problem: 'unknown' };
	const link = await db.selectFrom('dispute_poll_link').select(['poll_id', 'user_id']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
	const actor = link ? await loadActor(db, link.user_id) : null;
	if (!link || !actor) return { ok: false, problem: 'unknown' };
	return { ok: true, pollId: link.poll_id, actor };
}

/** Answers from the emailed link: holding it acts as its member for this poll only. */
export async function answerByLink(db: Database, token: string, raw: unknown, now = new Date()): Promise<{ saved: number }> {
	const holder = await pollLinkHolder(db, token);
	if (!holder.ok) throw forbidden('This link is not valid. Open the poll from the portal instead.');
	const input = parseInput(answersSchema, raw);
	if (input.pollId !== holder.pollId) throw forbidden('This link is for another meeting poll.');
	return answerPoll(db, holder.actor, raw, now);
}

/** The people to tell about the meeting, with the answer each gave for the slot. */
async function attendeesOf(trx: Trx, userIds: readonly number[], slotId: number | null) {
	if (userIds.length === 0) return [];
	const rows = await trx
		.selectFrom('app_user as u')
		.leftJoin('dispute_answer as a', (join) => join.onRef('a.user_id', '=', 'u.id').on('a.slot_id', '=', slotId ?? 0))
		.select(['u.id', 'u.email', 'a.answer'])
		.where('u.id', 'in', [...userIds])
		.where('u.is_active', '=', true)
		.orderBy('u.id')
		.execute();
	return rows;
}

async function mailInvites(work: Work, row: PollRow, slot: SlotView, userIds: readonly number[], sequence: number, method: 'REQUEST' | 'CANCEL', words: string): Promise<void> {
	for (const person of await attendeesOf(work.trx, userIds, slot.id)) {
		const content = meetingIcs(
			{ uid: row.ics_uid, sequence, reference: row.reference, startsAt: slot.startsAt, endsAt: slot.endsAt, mode: slot.mode, place: slot.place, attendee: { email: person.email, answer: person.answer }, link: absoluteUrl(pollLink(row.id)) },
			method
		);
		await work.mail({
			to: person.email,
			subject: `${words}: panel meeting for ${row.reference}`,
			text: `${words}: the dispute-resolution panel meeting for case ${row.reference}, ${slot.when}. ${slot.mode === 'online' ? `Online: ${slot.place}` : `At ${slot.place}`}.\n\nThe calendar entry is attached. Details: ${absoluteUrl(pollLink(row.id))}`,
			attachment: { name: 'panel-meeting.ics', type: `text/calendar; method=${method}`, content }
		});
	}
}

/**
 * Books a candidate slot (or moves the booking to another: a reschedule): refused unless the
 * slot makes a quorum of eligible members. The attendees are the eligible members who said yes or
 * if need be; each gets the calendar entry (same UID, SEQUENCE one higher than the last sent).
 * On a reschedule anyone no longer attending gets the entry cancelled.
 */
export async function bookSlot(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ sequence: number; attendees: number[] }> {
	const input = parseInput(bookingSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const loaded = await loadPoll(work.trx, input.pollId, now, true);
		const { row, ref } = loaded;
		assertCan(actor, { action: 'disputes.poll.run', district: ref.district });
		if (row.version !== input.version) throw conflict('The poll changed while you were looking at it. Check the ranking and book again.');
		if (row.status !== 'scheduling' && row.status !== 'booked') throw invalid('This case is past booking a meeting.');
		if (row.booked_slot_id === input.slotId) throw invalid('The meeting is already booked for that slot.');
		const [slots, answers, settings] = await Promise.all([slotsOf(work.trx, row.id), answersOf(work.trx, row.id), districtSettings(work.trx, row.district_id)]);
		const slot = slots.find((s) => s.id === input.slotId);
		const ranked = ranking(loaded, slots, answers, settings.quorum).find((r) => r.slotId === input.slotId);
		const problem = bookingProblem(slot ? ranked : undefined);
		if (problem || !slot) throw invalid(problem ?? 'That slot is not one of this case’s candidate slots.', { slotId: [problem ?? 'Choose one of the slots'] });
		if (slot.startsAt <= now) throw invalid('That slot is in the past.', { slotId: ['Choose a slot from now on'] });
		const eligibleIds = new Set(loaded.pool.filter((m) => loaded.invited.includes(m.userId) && eligibility(m, loaded.conflicts).eligible).map((m) => m.userId));
		const attendees = answers.filter((a) => a.slot_id === slot.id && a.answer !== 'no' && eligibleIds.has(a.user_id)).map((a) => a.user_id);
		if (attendees.some((id) => ref.conflictedMemberIds.includes(id))) throw invalid('That slot includes a member with a conflict.');
		const rescheduling = row.booked_slot_id !== null;
		const sequence = row.ics_sequence + (rescheduling || row.cancelled_at ? 1 : 0);
		const dropped = row.booked_member_ids.filter((id) => !attendees.includes(id));
		const updated = await work.trx
			.updateTable('dispute_poll')
			.set((eb) => ({ booked_slot_id: slot.id, booked_member_ids: attendees, ics_sequence: sequence, cancelled_at: null, version: eb('version', '+', 1) }))
			.where('id', '=', row.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.trx
			.updateTable('dispute_case')
			.set((eb) => ({ status: 'booked', status_changed_at: now, version: eb('version', '+', 1) }))
			.where('id', '=', row.case_id)
			.execute();
		await mailInvites(work, row, slot, attendees, sequence, 'REQUEST', rescheduling ? 'Moved' : 'Booked');
		if (dropped.length) {
			const old = slots.find((s) => s.id === row.booked_slot_id) ?? slot;
			await mailInvites(work, row, old, dropped, sequence, 'CANCEL', 'Cancelled for you');
		}
		await work.record({
			action: rescheduling ? 'disputes.meeting_rescheduled' : 'disputes.meeting_booked',
			subject: { type: 'dispute_case', id: row.case_id },
			summary: `${rescheduling ? 'Moved' : 'Booked'} the panel meeting for ${row.reference} to ${slot.when}`,
			detail: { pollId: row.id, slotId: slot.id, attendees, sequence, version: updated.version },
			notify: { userIds: [...attendees, ...dropped], title: `${rescheduling ? 'Moved' : 'Booked'}: panel meeting for ${row.reference}`, link: pollLink(row.id), kind: 'disputes.meeting_booked' },
			events: [{ room: pollRoom(row.id), kind: 'disputes.poll.changed', payload: { pollId: row.id } }]
		});
		return { sequence, attendees };
	});
}

/** Cancels the booked meeting: the same calendar entry is cancelled for everyone (METHOD:CANCEL), and the case goes back to scheduling. */
export async function cancelMeeting(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ sequence: number }> {
	const input = parseInput(cancelSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const loaded = await loadPoll(work.trx, input.pollId, now, true);
		const { row, ref } = loaded;
		assertCan(actor, { action: 'disputes.poll.run', district: ref.district });
		if (row.version !== input.version) throw conflict('The poll changed while you were looking at it. Check it and cancel again.');
		if (row.booked_slot_id === null || row.status !== 'booked') throw invalid('No meeting is booked for this case.');
		const slot = (await slotsOf(work.trx, row.id)).find((s) => s.id === row.booked_slot_id)!;
		const sequence = row.ics_sequence + 1;
		await work.trx
			.updateTable('dispute_poll')
			.set((eb) => ({ booked_slot_id: null, booked_member_ids: [], ics_sequence: sequence, cancelled_at: now, version: eb('version', '+', 1) }))
			.where('id', '=', row.id)
			.execute();
		await work.trx
			.updateTable('dispute_case')
			.set((eb) => ({ status: 'scheduling', status_changed_at: now, version: eb('version', '+', 1) }))
			.where('id', '=', row.case_id)
			.execute();
		await mailInvites(work, row, slot, row.booked_member_ids, sequence, 'CANCEL', 'Cancelled');
		await work.record({
			action: 'disputes.meeting_cancelled',
			subject: { type: 'dispute_case', id: row.case_id },
			summary: `Cancelled the panel meeting for ${row.reference}`,
			reason: input.reason,
			detail: { pollId: row.id, sequence },
			notify: { userIds: row.booked_member_ids, title: `Cancelled: panel meeting for ${row.reference}`, link: pollLink(row.id), kind: 'disputes.meeting_cancelled' },
			events: [{ room: pollRoom(row.id), kind: 'disputes.poll.changed', payload: { pollId: row.id } }]
		});
		return { sequence };
	});
}

export interface MyPollRow {
	id: number;
	reference: string;
	closesAt: Date;
	booked: boolean;
}

export const MY_POLLS_KEY: KeyKind[] = ['int'];

/** The polls this person was asked to answer, newest first, a keyset page at a time. Reference only. */
export async function myPolls(db: Database, actor: Actor | null, cursor: Cursor | null): Promise<KeysetPage<MyPollRow>> {
	if (!actor) throw forbidden('You need to sign in first.');
	const query = db
		.selectFrom('dispute_poll_link as l')
		.innerJoin('dispute_poll as p', 'p.id', 'l.poll_id')
		.innerJoin('dispute_case as c', 'c.id', 'p.case_id')
		.select((eb) => ['p.id', 'c.reference', 'p.closes_at as closesAt', eb('p.booked_slot_id', 'is not', null).as('booked')])
		.where('l.user_id', '=', actor.id);
	const page = await keysetPage(query, { order: [sql`p.id`], direction: 'desc', keyOf: (r) => [r.id], cursor, size: 20 });
	return { ...page, items: page.items.map((r) => ({ ...r, booked: Boolean(r.booked) })) };
}

/** The case's poll id, if it has one. */
export async function pollOfCase(db: Database, caseId: number): Promise<number | null> {
	const row = await db.selectFrom('dispute_poll').select('id').where('case_id', '=', caseId).executeTakeFirst();
	return row?.id ?? null;
}

/** The answers a form posts: one radio group `answer-<slotId>` per slot; unanswered slots are left out. */
export function answersFromForm(data: FormData, values: Record<string, string>): { pollId: string; memberId: string; answers: { slotId: number; answer: string }[] } {
	const answers: { slotId: number; answer: string }[] = [];
	for (const [key, value] of data.entries()) {
		const match = /^answer-(\d{1,10})$/.exec(key);
		if (match && typeof value === 'string') answers.push({ slotId: Number(match[1]), answer: value });
	}
	return { pollId: values.pollId, memberId: values.memberId, answers };
}
