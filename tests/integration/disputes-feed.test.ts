import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { hashToken } from '../../src/lib/server/auth/session';
import {
	answerPoll,
	bookSlot,
	cancelMeeting,
	createFeed,
	declareConflict,
	feedByToken,
	myFeeds,
	openPoll,
	openPollView,
	pollLinkHolder,
	recordAgreement,
	recordReferral,
	remindPollMembers,
	revokeFeed,
	saveMember
} from '../../src/lib/server/disputes';
import { meetingUid } from '../../src/lib/server/disputes/ics';
import { cast, disputePeople, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';

// A panel member's private calendar feed and the reminders before a meeting poll closes, against
// a real PostgreSQL. The feed: made, replaced and stopped only by the member themself (audited,
// only the hash kept), listing their booked, not-cancelled meetings by reference with the
// invitations' UID and SEQUENCE; a tampered, stopped or replaced link, or one whose member left
// the pool, gets nothing. The reminders: only members still to answer an open poll within the
// window, once each, never after it closes, with a fresh answer link.

let test: TestDatabase;
let db: Database;
let districtId = 0;
type Who = 'sendiass' | 'chair' | 'parent' | 'teacher' | 'indie' | 'late' | 'stranger';
const people = {} as Record<Who, Actor>;

const written = async () =>
	Number(
		(await sql<{ n: string }>`select (select count(*) from audit_log) + (select count(*) from dispute_member where feed_token_hash is not null) + (select count(*) from mail_outbox) as n`.execute(db)).rows[0].n
	);

const NOW = new Date('2026-10-14T09:00:00Z');
// The polls close at the end of 19 October in London: 22:59:59Z (summer time).
const TOO_EARLY = new Date('2026-10-17T12:00:00Z');
const IN_WINDOW = new Date('2026-10-18T12:00:00Z');
const AFTER_CLOSE = new Date('2026-10-20T00:00:00Z');
const TWO_DAYS = 48 * 60 * 60 * 1000;

const SLOTS = [
	{ date: '2026-10-21', time: '10:00', minutes: 120, mode: 'in_person', place: 'Banbury Library' },
	// After the clocks go back: 10:00 London is 10:00Z.
	{ date: '2026-11-03', time: '10:00', minutes: 120, mode: 'online', place: 'https://meet.example.org/panel' }
];

async function openedPoll(): Promise<{ caseId: number; reference: string; pollId: number; slots: number[] }> {
	const referral = await recordReferral(
		db,
		people.sendiass,
		{ districtId, otherParty: 'council', settingId: '', category: 'sen_support', childInitials: 'QZ', yearGroup: 'Year 4', tried: '', outcomeSought: 'A plan', childViews: '', urgent: false, safeguarding: false, decisionLetterDate: '' },
		new Date('2026-10-05T09:00:00Z')
	);
	await recordAgreement(db, people.sendiass, { caseId: referral.id, party: 'family', version: 1 });
	await recordAgreement(db, people.sendiass, { caseId: referral.id, party: 'setting', version: 2 });
	const opened = await openPoll(
		db,
		people.sendiass,
		{ caseId: referral.id, version: 3, familyAvailability: 'Mornings', schoolAvailability: 'Any day', closesOn: '2026-10-19', slots: SLOTS, acceptWarnings: true },
		NOW
	);
	const slots = (await db.selectFrom('dispute_slot').select('id').where('poll_id', '=', opened.pollId).orderBy('starts_at').execute()).map((s) => s.id);
	return { caseId: referral.id, reference: referral.reference, pollId: opened.pollId, slots };
}

const yesToAll = (who: Who, pollId: number, slots: number[]) =>
	answerPoll(db, people[who], { pollId, memberId: people[who].id, answers: slots.map((slotId) => ({ slotId, answer: 'yes' })) }, NOW);

const membershipOf = async (who: Who) => (await db.selectFrom('dispute_member').select(['id', 'version']).where('user_id', '=', people[who].id).executeTakeFirstOrThrow());
const tokenOf = (url: string | null) => /\/panel-calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(url ?? '')![1];
const events = (ics: string | null) => (ics ?? '').replace(/\r?\n[ \t]/g, '').split(/BEGIN:VEVENT/).slice(1);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const ids = await twoDistricts(db, '920301');
	districtId = ids.cherwell;
	const nowhere = (name: string) => ({ name, county: null });
	Object.assign(
		people,
		await disputePeople(db, ids, {
			...cast('sendiass'),
			// Pool members are portal users with no role of their own until the officer adds them below.
			chair: nowhere('Cara Chair'),
			parent: nowhere('Pia Parent'),
			teacher: nowhere('Ted Teacher'),
			indie: nowhere('Ivy Independent'),
			late: nowhere('Lou Late'),
			stranger: nowhere('Stan Stranger')
		})
	);
	const roles: [Who, string[]][] = [
		['chair', ['chair']],
		['parent', ['parent_carer_rep']],
		['teacher', ['education_professional']],
		['indie', ['independent_member']],
		['late', ['independent_member']]
	];
	for (const [who, r] of roles) {
		await saveMember(db, people.sendiass, { districtId, email: people[who].email, roles: r, employer: 'Independent', councilEmployee: false, settingIds: [], trustNames: '', version: 0 });
	}
});

afterAll(async () => {
	await test?.close();
});

describe('the private calendar feed', () => {
	let meeting: Awaited<ReturnType<typeof openedPoll>>;
	let chairToken = '';

	it('lets the member make their own feed link, keeping only its hash, and records it', async () => {
		expect(await myFeeds(db, people.chair)).toEqual([{ membershipId: (await membershipOf('chair')).id, districtName: 'Cherwell', hasFeed: false }]);
		expect(await myFeeds(db, people.stranger)).toEqual([]);
		const membershipId = (await membershipOf('chair')).id;
		const made = await createFeed(db, people.chair, { membershipId: String(membershipId) });
		expect(made.replaced).toBe(false);
		chairToken = tokenOf(made.url);
		const stored = await db.selectFrom('dispute_member').select('feed_token_hash').where('id', '=', membershipId).executeTakeFirstOrThrow();
		expect(stored.feed_token_hash).toBe(hashToken(chairToken));
		expect(stored.feed_token_hash).not.toContain(chairToken);
		// The token is nowhere in the database in the clear (the form post's stored result included).
		const dump = await sql<{ hit: boolean }>`select exists (select 1 from audit_log where detail::text like ${'%' + chairToken + '%'}) or exists (select 1 from form_submission where result::text like ${'%' + chairToken + '%'}) as hit`.execute(db);
		expect(dump.rows[0].hit).toBe(false);
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'subject_type', 'subject_id']).where('action', 'like', 'disputes.feed%').execute();
		expect(audit).toEqual([{ action: 'disputes.feed_created', actor_id: people.chair.id, subject_type: 'dispute_member', subject_id: membershipId }]);
		expect((await myFeeds(db, people.chair))[0].hasFeed).toBe(true);
	});

	it('refuses anyone but the member themself, writing nothing', async () => {
		const membershipId = (await membershipOf('chair')).id;
		const before = await written();
		for (const who of ['sendiass', 'parent', 'stranger'] as const) {
			const refusal = await refused(createFeed(db, people[who], { membershipId }), 'FORBIDDEN');
			expect(refusal.message).toBe('Only the panel member themself can have their calendar feed.');
			await refused(revokeFeed(db, people[who], { membershipId }), 'FORBIDDEN');
		}
		await refused(createFeed(db, null, { membershipId }), 'FORBIDDEN');
		await refused(createFeed(db, people.chair, { membershipId: 'x' }), 'BAD_REQUEST');
		await refused(createFeed(db, people.chair, { membershipId: 999999 }), 'NOT_FOUND');
		expect(await written()).toBe(before);
	});

	it('is an empty calendar until a meeting is booked, then lists it by reference with the invitation’s UID and SEQUENCE', async () => {
		expect(events(await feedByToken(db, chairToken))).toHaveLength(0);
		meeting = await openedPoll();
		for (const who of ['chair', 'parent', 'teacher'] as const) await yesToAll(who, meeting.pollId, meeting.slots);
		const view = await openPollView(db, people.sendiass, meeting.pollId, NOW);
		await bookSlot(db, people.sendiass, { pollId: meeting.pollId, slotId: meeting.slots[0], version: view.version }, NOW);
		const ics = await feedByToken(db, chairToken);
		expect(ics).toMatch(/METHOD:PUBLISH/);
		const [event, ...more] = events(ics);
		expect(more).toHaveLength(0);
		expect(event).toContain(`UID:${meetingUid(meeting.caseId, meeting.pollId)}`);
		expect(event).toContain('SEQUENCE:0');
		expect(event).toContain('DTSTART:20261021T090000Z');
		expect(event).toContain(`SUMMARY:Dispute-resolution panel: ${meeting.reference}`);
		// Nobody's name or address, and nothing about the child.
		expect(ics).not.toMatch(/QZ|Year 4|Cara|Chair@|example\.org|ATTENDEE/i);
		// The invitation emailed to the chair carries the same UID.
		const invite = await db.selectFrom('mail_outbox').select('attachment_content').where('to_address', '=', people.chair.email).where('attachment_content', 'is not', null).executeTakeFirstOrThrow();
		expect(invite.attachment_content).toContain(`UID:${meetingUid(meeting.caseId, meeting.pollId)}`);
	});

	it('shows another member only their own meetings', async () => {
		const made = await createFeed(db, people.indie, { membershipId: (await membershipOf('indie')).id });
		expect(events(await feedByToken(db, tokenOf(made.url)))).toHaveLength(0);
	});

	it('follows a reschedule (same UID, higher SEQUENCE) and drops a cancelled meeting', async () => {
		let view = await openPollView(db, people.sendiass, meeting.pollId, NOW);
		await bookSlot(db, people.sendiass, { pollId: meeting.pollId, slotId: meeting.slots[1], version: view.version }, NOW);
		const [moved] = events(await feedByToken(db, chairToken));
		expect(moved).toContain(`UID:${meetingUid(meeting.caseId, meeting.pollId)}`);
		expect(moved).toContain('SEQUENCE:1');
		expect(moved).toContain('DTSTART:20261103T100000Z');
		view = await openPollView(db, people.sendiass, meeting.pollId, NOW);
		await cancelMeeting(db, people.sendiass, { pollId: meeting.pollId, version: view.version, reason: 'The school asked to move it' }, NOW);
		expect(events(await feedByToken(db, chairToken))).toHaveLength(0);
		// Booked again for the tests below.
		view = await openPollView(db, people.sendiass, meeting.pollId, NOW);
		await bookSlot(db, people.sendiass, { pollId: meeting.pollId, slotId: meeting.slots[0], version: view.version }, NOW);
		expect(events(await feedByToken(db, chairToken))[0]).toContain('SEQUENCE:3');
	});

	it('gives nothing for a tampered or malformed link', async () => {
		expect(await feedByToken(db, `${chairToken.slice(0, -2)}${chairToken.endsWith('xx') ? 'yy' : 'xx'}`)).toBeNull();
		expect(await feedByToken(db, 'short')).toBeNull();
		expect(await feedByToken(db, `${chairToken}/../x`)).toBeNull();
	});

	it('replaces the link (the old one stops working), then stops it, recording both; stopping twice records once', async () => {
		const membershipId = (await membershipOf('chair')).id;
		const replaced = await createFeed(db, people.chair, { membershipId });
		expect(replaced.replaced).toBe(true);
		expect(await feedByToken(db, chairToken)).toBeNull();
		const fresh = tokenOf(replaced.url);
		expect(events(await feedByToken(db, fresh))).toHaveLength(1);
		expect(await revokeFeed(db, people.chair, { membershipId })).toEqual({ revoked: true });
		expect(await feedByToken(db, fresh)).toBeNull();
		expect(await revokeFeed(db, people.chair, { membershipId })).toEqual({ revoked: false });
		const audit = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'dispute_member').where('subject_id', '=', membershipId).where('action', 'like', 'disputes.feed%').orderBy('id').execute();
		expect(audit.map((a) => a.action)).toEqual(['disputes.feed_created', 'disputes.feed_replaced', 'disputes.feed_revoked']);
	});

	it('gives a member taken off the pool nothing, and refuses them a new link', async () => {
		const { id: membershipId, version } = await membershipOf('parent');
		const made = await createFeed(db, people.parent, { membershipId });
		const token = tokenOf(made.url);
		expect(events(await feedByToken(db, token))).toHaveLength(1);
		// Even with the hash left in place, the rule refuses someone no longer in the pool.
		await db.updateTable('dispute_member').set({ active: false }).where('id', '=', membershipId).execute();
		expect(await feedByToken(db, token)).toBeNull();
		const refusal = await refused(createFeed(db, people.parent, { membershipId }), 'FORBIDDEN');
		expect(refusal.message).toBe('You are no longer in Cherwell’s panel pool, so you have no calendar feed.');
		expect(await myFeeds(db, people.parent)).toEqual([]);
		// Taken off through the pool page, the link is ended for good: back in the pool, it still gives nothing.
		await db.updateTable('dispute_member').set({ active: true }).where('id', '=', membershipId).execute();
		expect(events(await feedByToken(db, token))).toHaveLength(1);
		await saveMember(db, people.sendiass, { districtId, email: people.parent.email, roles: ['parent_carer_rep'], employer: 'Independent', councilEmployee: false, settingIds: [], trustNames: '', active: 'no', version });
		await db.updateTable('dispute_member').set({ active: true }).where('id', '=', membershipId).execute();
		expect(await feedByToken(db, token)).toBeNull();
	});
});

describe('reminders before a poll closes', () => {
	let poll: Awaited<ReturnType<typeof openedPoll>>;
	const reminderMail = () => db.selectFrom('mail_outbox').select(['to_address', 'body_text']).where('subject', 'like', 'Reminder: panel meeting dates%').orderBy('id').execute();

	it('reminds nobody before the window or after the poll closes', async () => {
		poll = await openedPoll();
		// The chair and the parent answered everything; the teacher one slot of two; the indie member nothing; the late member declares a conflict.
		await yesToAll('chair', poll.pollId, poll.slots);
		await yesToAll('parent', poll.pollId, poll.slots);
		await answerPoll(db, people.teacher, { pollId: poll.pollId, memberId: people.teacher.id, answers: [{ slotId: poll.slots[0], answer: 'yes' }] }, NOW);
		await declareConflict(db, people.late, { pollId: poll.pollId, memberId: people.late.id }, NOW);
		expect(await remindPollMembers(db, NOW, TWO_DAYS)).toBe(0);
		expect(await remindPollMembers(db, TOO_EARLY, TWO_DAYS)).toBe(0);
		expect(await remindPollMembers(db, AFTER_CLOSE, TWO_DAYS)).toBe(0);
		expect(await reminderMail()).toEqual([]);
	});

	it('reminds only members still to answer an open poll within the window, with a fresh link that replaces the old', async () => {
		const first = await db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', people.indie.email).where('subject', 'like', 'Panel meeting dates%').orderBy('id', 'desc').executeTakeFirstOrThrow();
		const oldToken = /\/panel-answer\/([A-Za-z0-9_-]+)/.exec(first.body_text)![1];
		expect((await pollLinkHolder(db, oldToken)).ok).toBe(true);
		expect(await remindPollMembers(db, IN_WINDOW, TWO_DAYS)).toBe(2);
		const mail = await reminderMail();
		expect(mail.map((m) => m.to_address).sort()).toEqual([people.indie.email, people.teacher.email].sort());
		for (const m of mail) {
			expect(m.body_text).toContain(poll.reference);
			expect(m.body_text).not.toMatch(/QZ|Year 4/);
		}
		const fresh = /\/panel-answer\/([A-Za-z0-9_-]+)/.exec(mail.find((m) => m.to_address === people.indie.email)!.body_text)![1];
		expect(await pollLinkHolder(db, oldToken)).toEqual({ ok: false, problem: 'unknown' });
		const holder = await pollLinkHolder(db, fresh);
		expect(holder.ok && holder.actor.id === people.indie.id && holder.pollId === poll.pollId).toBe(true);
		const marked = await db.selectFrom('dispute_poll_link').select(['user_id', 'reminded_at']).where('poll_id', '=', poll.pollId).where('reminded_at', 'is not', null).execute();
		expect(marked.map((m) => m.user_id).sort()).toEqual([people.indie.id, people.teacher.id].sort());
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('action', '=', 'disputes.poll_reminded').execute();
		expect(audit).toHaveLength(1);
		expect(audit[0].actor_id).toBeNull();
		expect((audit[0].detail as { reminded: number[] }).reminded.sort()).toEqual([people.indie.id, people.teacher.id].sort());
	});

	it('reminds each member once: a second run, even later in the window, sends nothing', async () => {
		const before = await written();
		expect(await remindPollMembers(db, IN_WINDOW, TWO_DAYS)).toBe(0);
		expect(await remindPollMembers(db, new Date(IN_WINDOW.getTime() + 6 * 60 * 60 * 1000), TWO_DAYS)).toBe(0);
		expect(await written()).toBe(before);
	});

	it('two runs at once remind each member once between them', async () => {
		const other = await openedPoll();
		await yesToAll('chair', other.pollId, other.slots);
		const counts = await Promise.all([remindPollMembers(db, IN_WINDOW, TWO_DAYS), remindPollMembers(db, IN_WINDOW, TWO_DAYS)]);
		// The parent, the teacher, the indie and the late member (no conflict on this case) are still to answer.
		expect(counts[0] + counts[1]).toBe(4);
		expect(await remindPollMembers(db, IN_WINDOW, TWO_DAYS)).toBe(0);
	});
});
