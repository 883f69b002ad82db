import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	answerByLink,
	answerPoll,
	bookSlot,
	cancelMeeting,
	declareConflict,
	districtPool,
	openCase,
	openPoll,
	openPollView,
	recordAdviser,
	recordAgreement,
	recordReferral,
	saveMember,
	setQuorum
} from '../../src/lib/server/disputes';
import { cast, disputePeople, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';

// The panel part against a real PostgreSQL: the pool and quorum (officers only), the scheduling
// poll (council employees and advisers left out, answers for oneself only, locked after closing,
// a tampered link refused), booking refusals, and the calendar entry's SEQUENCE through
// rescheduling and cancelling. Nothing is written on a refusal.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0 };
type Who = 'sendiass' | 'adviser' | 'oxfordSendiass' | 'chair' | 'parent' | 'teacher' | 'indie' | 'council' | 'head' | 'stranger';
const people = {} as Record<Who, Actor>;

const written = async () =>
	Number(
		(
			await sql<{ n: string }>`select (select count(*) from dispute_member) + (select count(*) from dispute_poll) + (select count(*) from dispute_slot)
				+ (select count(*) from dispute_answer) + (select count(*) from audit_log) + (select count(*) from mail_outbox) + (select count(*) from dispute_conflict) as n`.execute(db)
		).rows[0].n
	);

const INTAKE = new Date('2026-10-05T09:00:00Z');
const NOW = new Date('2026-10-14T09:00:00Z');
const AFTER_CLOSE = new Date('2026-10-20T00:00:00Z');

const member = (email: string, roles: string[], more: Record<string, unknown> = {}) => ({ districtId: ids.cherwell, email, roles, employer: 'Independent', councilEmployee: false, settingIds: [], trustNames: '', version: 0, ...more });
const emailOf = (who: Who) => people[who].email;

async function agreedCase(): Promise<{ id: number; version: number; reference: string }> {
	const referral = await recordReferral(
		db,
		people.sendiass,
		{ districtId: ids.cherwell, otherParty: 'maintained_school', settingId: ids.school, category: 'sen_support', childInitials: 'JS', yearGroup: 'Year 4', tried: '', outcomeSought: 'A plan', childViews: '', urgent: false, safeguarding: false, decisionLetterDate: '' },
		INTAKE
	);
	await recordAgreement(db, people.sendiass, { caseId: referral.id, party: 'family', version: 1 });
	await recordAgreement(db, people.sendiass, { caseId: referral.id, party: 'setting', version: 2 });
	return { id: referral.id, version: 3, reference: referral.reference };
}

const SLOTS = [
	{ date: '2026-10-21', time: '10:00', minutes: 120, mode: 'in_person', place: 'Banbury Library' },
	{ date: '2026-10-22', time: '14:00', minutes: 90, mode: 'online', place: 'https://meet.example.org/panel' },
	// After the clocks go back: 10:00 London is 10:00Z.
	{ date: '2026-11-03', time: '10:00', minutes: 120, mode: 'in_person', place: 'Banbury Library' }
];
const poll = (caseId: number, version: number, more: Record<string, unknown> = {}) => ({
	caseId,
	version,
	familyAvailability: 'Weekday mornings',
	schoolAvailability: 'Any day but Friday',
	closesOn: '2026-10-19',
	slots: SLOTS,
	acceptWarnings: false,
	...more
});

async function slotIds(pollId: number): Promise<number[]> {
	return (await db.selectFrom('dispute_slot').select('id').where('poll_id', '=', pollId).orderBy('starts_at').execute()).map((s) => s.id);
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '920001'));
	await db.insertInto('dispute_term').values([
		{ district_id: ids.cherwell, starts_on: '2026-09-02', ends_on: '2026-10-23' },
		{ district_id: ids.cherwell, starts_on: '2026-11-02', ends_on: '2026-12-18' }
	]).execute();
	const nowhere = (name: string) => ({ name, county: null });
	Object.assign(
		people,
		await disputePeople(db, ids, {
			...cast('sendiass', 'oxfordSendiass', 'head'),
			adviser: { name: 'Ade Adviser', district: 'cherwell', role: 'sendiass_officer' },
			// Pool members are portal users with no role of their own until an officer adds them.
			chair: nowhere('Cara Chair'),
			parent: nowhere('Pia Parent'),
			teacher: nowhere('Ted Teacher'),
			indie: nowhere('Ivy Independent'),
			council: nowhere('Cole Council'),
			stranger: nowhere('Stan Stranger')
		})
	);
});

afterAll(async () => {
	await test?.close();
});

describe('the pool and the quorum rule', () => {
	it('lets the district’s officer add members with roles and affiliations, and flags a council employee', async () => {
		await saveMember(db, people.sendiass, member(emailOf('chair'), ['chair']));
		await saveMember(db, people.sendiass, member(emailOf('parent'), ['parent_carer_rep']));
		await saveMember(db, people.sendiass, member(emailOf('teacher'), ['education_professional', 'independent_member'], { trustNames: 'Banbury Learning Trust' }));
		await saveMember(db, people.sendiass, member(emailOf('indie'), ['independent_member', 'chair']));
		await saveMember(db, people.sendiass, member(emailOf('council'), ['chair', 'education_professional'], { employer: 'Oxfordshire County Council', councilEmployee: true }));
		// An adviser is in the pool too, and will be conflicted from the case they advised on.
		await saveMember(db, people.sendiass, member(emailOf('adviser'), ['education_professional']));
		const view = await districtPool(db, people.sendiass, ids.cherwell, null);
		expect(view.page.items).toHaveLength(6);
		const council = view.page.items.find((m) => m.userId === people.council.id)!;
		expect(council.leftOut).toBe('Employed by the council, so cannot sit on a panel in any role');
		expect(view.page.items.filter((m) => m.leftOut === null)).toHaveLength(5);
		expect(view.quorum).toEqual({ chairRequired: true, minimumMembers: 3, requiredRoles: ['parent_carer_rep', 'education_professional'] });
	});

	it('refuses everyone else, writing nothing', async () => {
		const before = await written();
		for (const who of ['oxfordSendiass', 'chair', 'head', 'stranger'] as const) {
			const refusal = await refused(saveMember(db, people[who], member(emailOf('stranger'), ['chair'])), 'FORBIDDEN');
			expect(refusal.message).toBe('Only SENDIASS officers for Cherwell can keep its panel pool and quorum rule.');
			await refused(districtPool(db, people[who], ids.cherwell, null), 'FORBIDDEN');
			await refused(setQuorum(db, people[who], { districtId: ids.cherwell, chairRequired: true, minimumMembers: 3, requiredRoles: [], reason: 'x', version: 0 }), 'FORBIDDEN');
		}
		expect(await written()).toBe(before);
	});

	it('refuses an unknown email, no roles, a second entry and a stale version', async () => {
		const bad = await refused(saveMember(db, people.sendiass, member('nobody@example.org', [])), 'BAD_REQUEST');
		expect(Object.keys(bad.fieldErrors ?? {})).toEqual(['roles']);
		await refused(saveMember(db, people.sendiass, member('nobody@example.org', ['chair'])), 'BAD_REQUEST');
		await refused(saveMember(db, people.sendiass, member(emailOf('chair'), ['chair'])), 'BAD_REQUEST');
		await refused(saveMember(db, people.sendiass, member(emailOf('chair'), ['chair'], { version: 7 })), 'CONFLICT');
	});

	it('keeps each quorum change with who and why, against the version seen', async () => {
		const first = await setQuorum(db, people.sendiass, { districtId: ids.cherwell, chairRequired: 'yes', minimumMembers: '4', requiredRoles: ['parent_carer_rep', 'education_professional'], reason: 'Trial a larger panel', version: 0 });
		await refused(setQuorum(db, people.sendiass, { districtId: ids.cherwell, chairRequired: 'yes', minimumMembers: 3, requiredRoles: [], reason: 'Stale', version: 0 }), 'CONFLICT');
		const tooSmall = await refused(setQuorum(db, people.sendiass, { districtId: ids.cherwell, chairRequired: 'yes', minimumMembers: 2, requiredRoles: ['parent_carer_rep', 'education_professional'], reason: 'x', version: first.version }), 'BAD_REQUEST');
		expect(tooSmall.fieldErrors).toEqual({ minimumMembers: ['Enter at least 3: one for each required seat'] });
		await setQuorum(db, people.sendiass, { districtId: ids.cherwell, chairRequired: 'yes', minimumMembers: 3, requiredRoles: ['parent_carer_rep', 'education_professional'], reason: 'Back to the default', version: first.version });
		const view = await districtPool(db, people.sendiass, ids.cherwell, null);
		expect(view.quorum.minimumMembers).toBe(3);
		expect(view.quorumHistory.map((h) => [h.reason, h.changedBy])).toEqual([
			['Back to the default', 'Sunita Sendiass'],
			['Trial a larger panel', 'Sunita Sendiass']
		]);
	});
});

describe('the scheduling poll', () => {
	let kase: { id: number; version: number; reference: string };
	let pollId = 0;
	let slots: number[] = [];

	it('refuses slots in the past or overlapping, and a half-term slot until the warning is accepted, writing nothing', async () => {
		kase = await agreedCase();
		await recordAdviser(db, people.sendiass, { caseId: kase.id, email: emailOf('adviser') });
		const before = await written();
		const past = await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version, { slots: [{ ...SLOTS[0], date: '2026-10-13' }] }), NOW), 'BAD_REQUEST');
		expect(past.fieldErrors).toEqual({ 'slots.0': ['Slot 1 (2026-10-13 at 10:00) is in the past. Choose a time from now on'] });
		const overlap = await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version, { slots: [SLOTS[0], { ...SLOTS[0], time: '11:00' }] }), NOW), 'BAD_REQUEST');
		expect(overlap.fieldErrors?.['slots.1']?.[0]).toMatch(/overlaps slot 1/);
		const halfTerm = await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version, { slots: [{ ...SLOTS[0], date: '2026-10-28' }], closesOn: '2026-10-20' }), NOW), 'BAD_REQUEST');
		expect(halfTerm.fieldErrors?.acceptWarnings).toEqual(['Slot 1 (2026-10-28 at 10:00) is not a school day in the district’s terms.']);
		const online = await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version, { slots: [{ ...SLOTS[1], place: 'Teams' }] }), NOW), 'BAD_REQUEST');
		expect(online.fieldErrors).toEqual({ 'slots.0.place': ['Enter the online meeting’s link, starting https://'] });
		await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version, { closesOn: '2026-10-25' }), NOW), 'BAD_REQUEST');
		for (const who of ['oxfordSendiass', 'chair', 'head'] as const) await refused(openPoll(db, people[who], poll(kase.id, kase.version), NOW), 'FORBIDDEN');
		expect(await written()).toBe(before);
	});

	it('opens the poll, moves the case to scheduling and asks only eligible members, each with their own link', async () => {
		const opened = await openPoll(db, people.sendiass, poll(kase.id, kase.version), NOW);
		pollId = opened.pollId;
		slots = await slotIds(pollId);
		expect(opened.asked).toBe(4);
		const status = await db.selectFrom('dispute_case').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow();
		expect(status.status).toBe('scheduling');
		const mail = await db.selectFrom('mail_outbox').select(['to_address', 'subject', 'body_text']).where('subject', '=', `Panel meeting dates for ${kase.reference}`).execute();
		expect(mail.map((m) => m.to_address).sort()).toEqual([emailOf('chair'), emailOf('indie'), emailOf('parent'), emailOf('teacher')].sort());
		for (const m of mail) expect(m.body_text).not.toMatch(/JS|Year 4|Hill View/);
		// The third slot is after the clocks go back: 10:00 in London is 10:00Z, not 09:00Z.
		const starts = await db.selectFrom('dispute_slot').select('starts_at').where('poll_id', '=', pollId).orderBy('starts_at').execute();
		expect(starts.map((s) => s.starts_at.toISOString())).toEqual(['2026-10-21T09:00:00.000Z', '2026-10-22T13:00:00.000Z', '2026-11-03T10:00:00.000Z']);
		const view = await openPollView(db, people.sendiass, pollId, NOW);
		const leftOut = Object.fromEntries(view.officer!.members.map((m) => [m.name, m.leftOut]));
		expect(leftOut['Cole Council']).toBe('Employed by the council, so cannot sit on a panel in any role');
		expect(leftOut['Ade Adviser']).toBe('Advised the family on this case');
		await refused(openPoll(db, people.sendiass, poll(kase.id, kase.version + 1), NOW), 'BAD_REQUEST');
	});

	it('lets a member answer for themselves only, and not someone left out or from another district', async () => {
		await answerPoll(db, people.chair, { pollId, memberId: people.chair.id, answers: [{ slotId: slots[0], answer: 'yes' }, { slotId: slots[1], answer: 'no' }, { slotId: slots[2], answer: 'yes' }] }, NOW);
		const before = await written();
		const forOther = await refused(answerPoll(db, people.chair, { pollId, memberId: people.parent.id, answers: [{ slotId: slots[0], answer: 'no' }] }, NOW), 'FORBIDDEN');
		expect(forOther.message).toBe('You can answer only for yourself.');
		await refused(answerPoll(db, people.sendiass, { pollId, memberId: people.parent.id, answers: [{ slotId: slots[0], answer: 'no' }] }, NOW), 'FORBIDDEN');
		const council = await refused(answerPoll(db, people.council, { pollId, memberId: people.council.id, answers: [{ slotId: slots[0], answer: 'yes' }] }, NOW), 'FORBIDDEN');
		expect(council.message).toBe('You are not one of the members asked about this meeting.');
		await refused(openPollView(db, people.council, pollId, NOW), 'FORBIDDEN');
		await refused(openPollView(db, people.head, pollId, NOW), 'FORBIDDEN');
		await refused(openPollView(db, people.oxfordSendiass, pollId, NOW), 'FORBIDDEN');
		expect(await written()).toBe(before);
		const own = await openPollView(db, people.chair, pollId, NOW);
		expect(own.officer).toBeNull();
		expect(own.member?.answers).toEqual({ [slots[0]]: 'yes', [slots[1]]: 'no', [slots[2]]: 'yes' });
	});

	it('takes answers from the emailed link, and refuses a tampered link', async () => {
		// The link's token is only in the email: read it back from the outbox.
		const mail = await db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', emailOf('parent')).where('subject', 'like', 'Panel meeting dates%').executeTakeFirstOrThrow();
		const token = /\/panel-answer\/([A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
		await answerByLink(db, token, { pollId, memberId: people.parent.id, answers: [{ slotId: slots[0], answer: 'if_need_be' }, { slotId: slots[1], answer: 'yes' }, { slotId: slots[2], answer: 'yes' }] }, NOW);
		const before = await written();
		await refused(answerByLink(db, `${token.slice(0, -2)}xx`, { pollId, memberId: people.parent.id, answers: [{ slotId: slots[0], answer: 'no' }] }, NOW), 'FORBIDDEN');
		await refused(answerByLink(db, token, { pollId, memberId: people.chair.id, answers: [{ slotId: slots[0], answer: 'no' }] }, NOW), 'FORBIDDEN');
		expect(await written()).toBe(before);
	});

	it('ranks only slots that make a quorum first, and tells the officer once when everyone has answered', async () => {
		await answerPoll(db, people.indie, { pollId, memberId: people.indie.id, answers: slots.map((slotId) => ({ slotId, answer: 'no' as const })) }, NOW);
		let view = await openPollView(db, people.sendiass, pollId, NOW);
		expect(view.allAnsweredAt).toBeNull();
		await answerPoll(db, people.teacher, { pollId, memberId: people.teacher.id, answers: [{ slotId: slots[0], answer: 'yes' }, { slotId: slots[1], answer: 'yes' }, { slotId: slots[2], answer: 'if_need_be' }] }, NOW);
		view = await openPollView(db, people.sendiass, pollId, NOW);
		expect(view.allAnsweredAt).not.toBeNull();
		// Slot 3: everyone needed said yes except the teacher's "if need be"; slot 1 needs the parent's "if need be"; slot 2 has no chair.
		expect(view.officer!.ranking.map((r) => [r.slotId, r.quorate])).toEqual([
			[slots[0], true],
			[slots[2], true],
			[slots[1], false]
		]);
		const told = await db.selectFrom('notification').select(['user_id', 'kind']).where('kind', '=', 'disputes.poll_complete').execute();
		expect(told).toEqual([{ user_id: people.sendiass.id, kind: 'disputes.poll_complete' }]);
		const events = await db.selectFrom('live_event').select(['room', 'kind', 'payload']).where('kind', '=', 'disputes.poll.changed').execute();
		expect(events.length).toBeGreaterThanOrEqual(4);
		expect(events[0].payload).toEqual({ pollId });
	});

	it('refuses booking a slot without a quorum, or by anyone but the district’s officer, writing nothing', async () => {
		const view = await openPollView(db, people.sendiass, pollId, NOW);
		const before = await written();
		const notQuorate = await refused(bookSlot(db, people.sendiass, { pollId, slotId: slots[1], version: view.version }, NOW), 'BAD_REQUEST');
		expect(notQuorate.message).toBe('That slot does not make a quorum: missing Independent chair.');
		for (const who of ['oxfordSendiass', 'chair', 'head'] as const) await refused(bookSlot(db, people[who], { pollId, slotId: slots[0], version: view.version }, NOW), 'FORBIDDEN');
		await refused(bookSlot(db, people.sendiass, { pollId, slotId: slots[0], version: view.version + 5 }, NOW), 'CONFLICT');
		expect(await written()).toBe(before);
	});

	it('locks answers after the closing date', async () => {
		const refusal = await refused(answerPoll(db, people.indie, { pollId, memberId: people.indie.id, answers: [{ slotId: slots[0], answer: 'yes' }] }, AFTER_CLOSE), 'FORBIDDEN');
		expect(refusal.message).toMatch(/^This poll closed on 19 October 2026 at 23:59/);
	});

	it('books a quorate slot: the case is booked and each attendee gets a METHOD:REQUEST with their own answer', async () => {
		const view = await openPollView(db, people.sendiass, pollId, AFTER_CLOSE);
		const booked = await bookSlot(db, people.sendiass, { pollId, slotId: slots[0], version: view.version }, AFTER_CLOSE);
		expect(booked.sequence).toBe(0);
		expect(booked.attendees.sort()).toEqual([people.chair.id, people.parent.id, people.teacher.id].sort());
		const status = await db.selectFrom('dispute_case').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow();
		expect(status.status).toBe('booked');
		const invites = await db.selectFrom('mail_outbox').select(['to_address', 'attachment_name', 'attachment_type', 'attachment_content']).where('subject', 'like', 'Booked:%').execute();
		expect(invites).toHaveLength(3);
		const parentIcs = invites.find((i) => i.to_address === emailOf('parent'))!;
		expect(parentIcs.attachment_type).toBe('text/calendar; method=REQUEST');
		expect(parentIcs.attachment_content).toMatch(/METHOD:REQUEST/);
		expect(parentIcs.attachment_content).toMatch(/PARTSTAT="?TENTATIVE/);
		expect(parentIcs.attachment_content).toMatch(/SEQUENCE:0/);
		for (const invite of invites) expect(invite.attachment_content).not.toMatch(/JS|Year 4|Hill View|Pia|Cara|Ted/);
			// The booked panel now sees the case's details; a member who was not booked still does not.
		expect((await openCase(db, people.chair, kase.id)).level).toBe('details');
		await refused(openCase(db, people.indie, kase.id), 'FORBIDDEN');
	});

	it('reschedules the same calendar entry with a higher SEQUENCE, then cancels it for everyone', async () => {
		let view = await openPollView(db, people.sendiass, pollId, AFTER_CLOSE);
		const moved = await bookSlot(db, people.sendiass, { pollId, slotId: slots[2], version: view.version }, AFTER_CLOSE);
		expect(moved.sequence).toBe(1);
		const uids = await db.selectFrom('mail_outbox').select('attachment_content').where('attachment_content', 'is not', null).execute();
		const uidSet = new Set(uids.map((u) => /UID:(\S+)/.exec(u.attachment_content!)![1]));
		expect(uidSet.size).toBe(1);
		view = await openPollView(db, people.sendiass, pollId, AFTER_CLOSE);
		await refused(cancelMeeting(db, people.chair, { pollId, version: view.version, reason: 'x' }, AFTER_CLOSE), 'FORBIDDEN');
		const cancelled = await cancelMeeting(db, people.sendiass, { pollId, version: view.version, reason: 'The school asked to move it' }, AFTER_CLOSE);
		expect(cancelled.sequence).toBe(2);
		const cancels = await db.selectFrom('mail_outbox').select(['to_address', 'attachment_content']).where('subject', 'like', 'Cancelled:%').execute();
		expect(cancels).toHaveLength(3);
		for (const c of cancels) {
			expect(c.attachment_content).toMatch(/METHOD:CANCEL/);
			expect(c.attachment_content).toMatch(/SEQUENCE:2/);
		}
		const status = await db.selectFrom('dispute_case').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow();
		expect(status.status).toBe('scheduling');
			// Once the meeting is cancelled nobody is booked, so the panel's view of the case ends.
		await refused(openCase(db, people.chair, kase.id), 'FORBIDDEN');
	});

	it('refuses booking a slot whose quorum depended on a member who has since declared a conflict', async () => {
		// Reopen answering for the test by moving the closing date on.
		await db.updateTable('dispute_poll').set({ closes_at: new Date('2026-10-30T00:00:00Z') }).where('id', '=', pollId).execute();
		await declareConflict(db, people.chair, { pollId, memberId: people.chair.id }, AFTER_CLOSE);
		await refused(declareConflict(db, people.chair, { pollId, memberId: people.chair.id }, AFTER_CLOSE), 'FORBIDDEN');
		await refused(declareConflict(db, people.parent, { pollId, memberId: people.teacher.id }, AFTER_CLOSE), 'FORBIDDEN');
		const view = await openPollView(db, people.sendiass, pollId, AFTER_CLOSE);
		const refusal = await refused(bookSlot(db, people.sendiass, { pollId, slotId: slots[0], version: view.version }, AFTER_CLOSE), 'BAD_REQUEST');
		expect(refusal.message).toBe('That slot does not make a quorum: missing Independent chair.');
		expect(view.officer!.members.find((m) => m.userId === people.chair.id)?.leftOut).toBe('Declared a conflict with this case');
	});
});
