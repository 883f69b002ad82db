import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	addAction,
	completeAction,
	disputesDailyJob,
	endCase,
	flagCases,
	openOutcome,
	outcomeRecordPdf,
	recordFeedback,
	recordMeeting,
	recordOutcome,
	runDisputesDaily,
	setLegalHold,
	subjectAccessExport
} from '../../src/lib/server/disputes';
import { runIfDue } from '../../src/lib/server/jobs/scheduler';
import { londonDate } from '../../src/lib/server/disputes/calendar';
import { log } from '../../src/lib/server/log';
import { backendPid, waitingFor } from './locks';
import { todoFor } from '../../src/lib/server/todo';
import { parse } from 'csv-parse/sync';
import { cast, disputePeople, insertCase, insertPoll, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';

// After a panel meets, against a real PostgreSQL: every new command both ways (only the district's
// SENDIASS officers; nothing written on a refusal), what the school sees (status and agreed
// actions, never the family's details), the PDF and the subject access export logged and
// redacted, and the daily job: flags, chasing, and anonymising with and without a legal hold,
// run once even when two instances find it due; a case moved to another district while its
// district is flagged, and a district whose flags fail, stop no other district's flags.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0 };
type Who = 'sendiass' | 'oxfordSendiass' | 'member' | 'head' | 'senco' | 'pcfRep' | 'councilOfficer';
const people = {} as Record<Who, Actor>;
const OUTSIDERS: Who[] = ['oxfordSendiass', 'member', 'head', 'senco', 'pcfRep', 'councilOfficer'];

const written = async () =>
	Number(
		(
			await sql<{ n: string }>`select (select count(*) from dispute_outcome) + (select count(*) from dispute_action) + (select count(*) from dispute_feedback) + (select count(*) from audit_log)
				+ (select sum(version) from dispute_case) as n`.execute(db)
		).rows[0].n
	);

/** A case at a stage, its free text full of things anonymising must remove. */
async function aCase(status: 'booked' | 'met' | 'outcome' | 'closed' | 'withdrawn', more: Parameters<typeof insertCase>[2] = {}): Promise<number> {
	const { id } = await insertCase(db, ids, {
		status,
		tried: 'Met Mrs Jane Smith on 07700 900123',
		outcome_sought: 'A plan Jane Smith agrees',
		child_views: 'Wants to sit with Tom',
		supporter: 'Her aunt, Mary Smith',
		interpreter: 'Polish',
		adjustments: 'Jane Smith needs a ramp',
		family_agreed_at: new Date(),
		setting_agreed_at: new Date(),
		...more
	});
	return id;
}

/** A booked case whose meeting starts `hoursFromNow` from now (negative: it has taken place). */
async function bookedCase(hoursFromNow: number): Promise<number> {
	const caseId = await aCase('booked');
	await insertPoll(db, caseId, { startsAt: new Date(Date.now() + hoursFromNow * 3_600_000) });
	return caseId;
}

const version = async (caseId: number) => (await db.selectFrom('dispute_case').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version;
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910001'));
	// Terms from now on, so school days can be counted whatever day the suite runs.
	const year = new Date().getUTCFullYear();
	await db.insertInto('dispute_term').values([year - 1, year, year + 1, year + 2].map((y) => ({ district_id: ids.cherwell, starts_on: `${y}-01-05`, ends_on: `${y}-12-18` }))).execute();
	Object.assign(
		people,
		await disputePeople(db, ids, cast('sendiass', 'oxfordSendiass', 'member', 'head', 'senco', 'pcfRep', 'councilOfficer'))
	);
});

afterAll(async () => {
	await test?.close();
});

describe('recording that the panel met', () => {
	it('moves a booked case to "met" once its meeting has started, for the district’s officers only, and a second time changes nothing', async () => {
		const caseId = await bookedCase(-3);
		const input = { caseId, version: await version(caseId) };
		const before = await written();
		for (const who of OUTSIDERS) await refused(recordMeeting(db, people[who], input), 'FORBIDDEN');
		await refused(recordMeeting(db, people.sendiass, { ...input, version: input.version - 1 }), 'CONFLICT');
		expect(await written()).toBe(before);
		expect(await recordMeeting(db, people.sendiass, input)).toEqual({ already: false });
		const row = await db.selectFrom('dispute_case').select(['status', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow();
		expect(row.status).toBe('met');
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', caseId).execute();
		expect(audit).toEqual([{ action: 'disputes.panel_met', actor_id: people.sendiass.id }]);
		// A double submit, on the page's old version, is harmless; the outcome can now be recorded.
		const after = await written();
		expect(await recordMeeting(db, people.sendiass, input)).toEqual({ already: true });
		expect(await written()).toBe(after);
		await recordOutcome(db, people.sendiass, { caseId, version: row.version, result: 'resolved', summary: 'Weekly check-ins agreed' });
	});

	it('refuses a meeting that has not started yet, and a case that was never booked', async () => {
		const later = await bookedCase(48);
		const error = await refused(recordMeeting(db, people.sendiass, { caseId: later, version: await version(later) }), 'BAD_REQUEST');
		expect(error.message).toMatch(/once it has/);
		const unbooked = await aCase('outcome');
		await refused(recordMeeting(db, people.sendiass, { caseId: unbooked, version: await version(unbooked) }), 'BAD_REQUEST');
		expect((await db.selectFrom('dispute_case').select('status').where('id', '=', later).executeTakeFirstOrThrow()).status).toBe('booked');
	});
});

describe('recording the outcome and the agreed actions', () => {
	it('refuses everyone but the district’s SENDIASS officers, writing nothing, then records it with the school’s escalation route', async () => {
		const caseId = await aCase('met');
		const input = { caseId, version: await version(caseId), result: 'not_resolved', summary: 'Agreed a new support plan; the family still wants a 1:1' };
		const before = await written();
		for (const who of OUTSIDERS) await refused(recordOutcome(db, people[who], input), 'FORBIDDEN');
		expect(await written()).toBe(before);
		const { escalation, followUpOn } = await recordOutcome(db, people.sendiass, input);
		expect(escalation.map((s) => s.key)).toEqual(['setting_complaint', 'board_complaint']);
		expect((await db.selectFrom('dispute_outcome').select(['follow_up_on', 'result']).where('case_id', '=', caseId).executeTakeFirstOrThrow())).toEqual({ follow_up_on: followUpOn, result: 'not_resolved' });
		const row = await db.selectFrom('dispute_case').select(['status', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow();
		expect(row.status).toBe('outcome');
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('subject_id', '=', caseId).where('subject_type', '=', 'dispute_case').executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ action: 'disputes.outcome_recorded', actor_id: people.sendiass.id });
		expect(JSON.stringify(audit.detail)).not.toMatch(/1:1|support plan/);
		// Twice, or on a stale version, is refused and changes nothing.
		await refused(recordOutcome(db, people.sendiass, { ...input, version: row.version }), 'BAD_REQUEST');
		const other = await aCase('met');
		await refused(recordOutcome(db, people.sendiass, { ...input, caseId: other, version: (await version(other)) - 1 }), 'CONFLICT');
		await refused(recordOutcome(db, people.sendiass, { ...input, caseId: other, version: await version(other), result: 'sort of' }), 'BAD_REQUEST');
	});

	it('adds actions only for officers, with owners from the setting and the district, and refuses a past date or a stranger as owner', async () => {
		const caseId = await aCase('outcome');
		const action = { caseId, description: 'Review the reading support', ownerKind: 'setting', ownerUserId: '', dueOn: future(20) };
		const before = await written();
		for (const who of OUTSIDERS) await refused(addAction(db, people[who], action), 'FORBIDDEN');
		expect(await written()).toBe(before);
		await addAction(db, people.sendiass, action);
		await addAction(db, people.sendiass, { ...action, description: 'Send the family the new timetable', ownerKind: 'user', ownerUserId: people.head.id });
		const past = await refused(addAction(db, people.sendiass, { ...action, dueOn: '2020-01-01' }), 'BAD_REQUEST');
		expect(past.fieldErrors).toHaveProperty('dueOn');
		const stranger = await refused(addAction(db, people.sendiass, { ...action, ownerKind: 'user', ownerUserId: people.pcfRep.id }), 'BAD_REQUEST');
		expect(stranger.fieldErrors).toHaveProperty('ownerUserId');
		const notice = await db.selectFrom('notification').select('user_id').where('kind', '=', 'disputes.action').execute();
		expect(notice.map((n) => n.user_id)).toEqual([people.head.id]);

		// The school sees the status and the actions (on the page and its home page), never the family's details.
		const seen = await openOutcome(db, people.head, caseId);
		expect(seen.level).toBe('actions');
		expect(seen.actions.map((a) => a.description).sort()).toEqual(['Review the reading support', 'Send the family the new timetable']);
		expect(JSON.stringify(seen)).not.toMatch(/JS|Year 4|Jane|Tom|07700/);
		const todo = await todoFor(db, people.head);
		expect(todo.find((g) => g.provider === 'disputes.actions')?.items.map((i) => i.title).sort()).toEqual(['Review the reading support', 'Send the family the new timetable']);
		const sencoTodo = await todoFor(db, people.senco);
		expect(sencoTodo.find((g) => g.provider === 'disputes.actions')?.items.map((i) => i.title)).toEqual(['Review the reading support']);
		expect((await todoFor(db, people.pcfRep)).find((g) => g.provider === 'disputes.actions')).toBeUndefined();

		// A PCF rep, another district's officer and a council officer are refused, and each refusal is logged.
		for (const who of ['pcfRep', 'oxfordSendiass', 'councilOfficer'] as const) await refused(openOutcome(db, people[who], caseId), 'FORBIDDEN');
		const refusals = await db.selectFrom('dispute_case_view').select('viewer_id').where('case_id', '=', caseId).where('allowed', '=', false).execute();
		expect(refusals.map((r) => r.viewer_id).sort()).toEqual([people.pcfRep.id, people.oxfordSendiass.id, people.councilOfficer.id].sort());

		// Completing is for officers; twice is harmless.
		const first = (await db.selectFrom('dispute_action').select('id').where('case_id', '=', caseId).orderBy('id').executeTakeFirstOrThrow()).id;
		for (const who of OUTSIDERS) await refused(completeAction(db, people[who], { caseId, actionId: first }), 'FORBIDDEN');
		expect(await completeAction(db, people.sendiass, { caseId, actionId: first })).toEqual({ alreadyDone: false });
		expect(await completeAction(db, people.sendiass, { caseId, actionId: first })).toEqual({ alreadyDone: true });
	});

	it('records feedback, closes, withdraws and holds for officers only, each with who, when and why on the timeline', async () => {
		const caseId = await aCase('outcome');
		const feedback = { caseId, party: 'family', rating: '4', comment: 'Helpful' };
		for (const who of OUTSIDERS) await refused(recordFeedback(db, people[who], feedback), 'FORBIDDEN');
		await recordFeedback(db, people.sendiass, feedback);
		await refused(recordFeedback(db, people.sendiass, feedback), 'BAD_REQUEST');
		await refused(recordFeedback(db, people.sendiass, { ...feedback, party: 'setting', rating: '9' }), 'BAD_REQUEST');

		const hold = async () => ({ caseId, version: await version(caseId), hold: 'ombudsman', reason: 'Family complained to the Ombudsman' });
		for (const who of OUTSIDERS) await refused(setLegalHold(db, people[who], await hold()), 'FORBIDDEN');
		await setLegalHold(db, people.sendiass, await hold());
		const close = async () => ({ caseId, version: await version(caseId), kind: 'close', reason: 'Follow-up done' });
		for (const who of OUTSIDERS) await refused(endCase(db, people[who], await close()), 'FORBIDDEN');
		await refused(endCase(db, people.sendiass, { ...(await close()), reason: '' }), 'BAD_REQUEST');
		expect(await endCase(db, people.sendiass, await close())).toEqual({ status: 'closed' });
		await refused(endCase(db, people.sendiass, { ...(await close()), kind: 'withdraw' }), 'BAD_REQUEST');

		const view = await openOutcome(db, people.sendiass, caseId);
		if (view.level !== 'details') throw new Error('the officer sees the details');
		expect(view.timeline.map((t) => [t.summary.split(' ')[0], t.who, t.reason])).toEqual([
			['Closed', 'Sunita Sendiass', 'Follow-up done'],
			['Placed', 'Sunita Sendiass', 'Family complained to the Ombudsman'],
			['Recorded', 'Sunita Sendiass', null]
		]);

		// A met case can be withdrawn but not closed.
		const met = await aCase('met');
		await refused(endCase(db, people.sendiass, { caseId: met, version: await version(met), kind: 'close', reason: 'x' }), 'BAD_REQUEST');
		expect(await endCase(db, people.sendiass, { caseId: met, version: await version(met), kind: 'withdraw', reason: 'The family moved away' })).toEqual({ status: 'withdrawn' });
	});
});

describe('the written outcome record and the subject access export', () => {
	it('gives the PDF to officers only and logs every download and refusal', async () => {
		const caseId = await aCase('met');
		await recordOutcome(db, people.sendiass, { caseId, version: await version(caseId), result: 'resolved', summary: 'All agreed' });
		const { pdf, reference } = await outcomeRecordPdf(db, people.sendiass, caseId);
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(reference).toMatch(/^DR-CHE-/);
		for (const who of OUTSIDERS) await refused(outcomeRecordPdf(db, people[who], caseId), 'FORBIDDEN');
		const log = await db.selectFrom('dispute_case_view').select(['viewer_id', 'allowed']).where('case_id', '=', caseId).where('what', '=', 'written outcome record (PDF)').orderBy('id').execute();
		expect(log).toEqual([{ viewer_id: people.sendiass.id, allowed: true }, ...OUTSIDERS.map((who) => ({ viewer_id: people[who].id, allowed: false }))]);
	});

	it('exports one case for a subject access request with third parties redacted, in JSON and CSV, logged', async () => {
		const caseId = await aCase('met');
		await recordOutcome(db, people.sendiass, { caseId, version: await version(caseId), result: 'partly_resolved', summary: 'Agreed a new plan' });
		await addAction(db, people.sendiass, { caseId, description: 'Call the family', ownerKind: 'user', ownerUserId: people.senco.id, dueOn: future(10) });
		await recordFeedback(db, people.sendiass, { caseId, party: 'family', rating: '5', comment: 'Very helpful' });
		await recordFeedback(db, people.sendiass, { caseId, party: 'setting', rating: '2', comment: 'Mr Brown felt ambushed' });
		await openOutcome(db, people.head, caseId);
		for (const who of OUTSIDERS) await refused(subjectAccessExport(db, people[who], caseId, 'json'), 'FORBIDDEN');
		const json = JSON.parse((await subjectAccessExport(db, people.sendiass, caseId, 'json')).body);
		expect(json.case).toMatchObject({ childInitials: 'JS', outcomeSought: 'A plan Jane Smith agrees', childViews: 'Wants to sit with Tom', referredBy: 'The family, through SENDIASS', supporter: '[redacted: third party]', interpreter: 'Polish' });
		expect(json.outcome.agreed).toBe('Agreed a new plan');
		expect(json.feedback).toEqual([
			{ party: 'The family', rating: 5, comment: 'Very helpful' },
			{ party: 'The setting', rating: 2, comment: '[redacted: third party]' }
		]);
		const text = JSON.stringify(json);
		for (const name of ['Sunita', 'Hana', 'Sam Senco', 'Mr Brown', 'Omar', 'Col Council', 'Mary Smith']) expect(text).not.toContain(name);
		expect(json.actions[0].owner).toBe('[redacted: third party]');
		const csv = parse((await subjectAccessExport(db, people.sendiass, caseId, 'csv')).body) as string[][];
		expect(csv[0]).toEqual(['Section', 'Field', 'Value']);
		expect(csv).toContainEqual(['Case', 'childViews', 'Wants to sit with Tom']);
		expect(csv.flat().join(' ')).not.toMatch(/Sunita|Hana|Mr Brown/);
		const log = await db.selectFrom('dispute_case_view').select(['what', 'allowed']).where('case_id', '=', caseId).where('what', 'like', 'subject access%').where('allowed', '=', true).execute();
		expect(log.map((l) => l.what)).toEqual(['subject access export (JSON)', 'subject access export (CSV)']);
	});
});

describe('the daily job', () => {
	const longAgo = new Date(Date.now() - 3 * 365 * 86_400_000);

	it('anonymises a closed case after the retention period (free text out of the case and its audit detail, figures kept), but not one under a legal hold until it is lifted', async () => {
		const free = await aCase('met');
		await recordOutcome(db, people.sendiass, { caseId: free, version: await version(free), result: 'not_resolved', summary: 'Jane Smith wants Tom moved' });
		await db.insertInto('dispute_action').values({ case_id: free, description: 'Phone Jane Smith', owner_kind: 'family', due_on: '2024-01-01', done_at: new Date() }).execute();
		await recordFeedback(db, people.sendiass, { caseId: free, party: 'family', rating: '3', comment: 'Jane says thanks' });
		await endCase(db, people.sendiass, { caseId: free, version: await version(free), kind: 'close', reason: 'Jane Smith moved to Leeds' });
		const held = await aCase('closed', { legal_hold: 'tribunal', legal_hold_reason: 'Appeal lodged', end_reason: 'Done' });
		const recent = await aCase('closed', { end_reason: 'Done' });
		await db.updateTable('dispute_case').set({ status_changed_at: longAgo }).where('id', 'in', [free, held]).execute();

		const counts = await runDisputesDaily(db);
		expect(counts.anonymised).toBe(1);
		expect(counts.held).toBeGreaterThanOrEqual(1);
		const c = await db.selectFrom('dispute_case').selectAll().where('id', '=', free).executeTakeFirstOrThrow();
		expect(c).toMatchObject({ child_initials: '', tried: '', outcome_sought: '', child_views: '', supporter: '', interpreter: '', adjustments: '', end_reason: null, year_group: 'Year 4', category: 'sen_support', status: 'closed' });
		expect(c.anonymised_at).not.toBeNull();
		expect((await db.selectFrom('dispute_outcome').select(['summary', 'result']).where('case_id', '=', free).executeTakeFirstOrThrow())).toEqual({ summary: '', result: 'not_resolved' });
		expect((await db.selectFrom('dispute_feedback').select(['comment', 'rating']).where('case_id', '=', free).executeTakeFirstOrThrow())).toEqual({ comment: '', rating: 3 });
		expect((await db.selectFrom('dispute_action').select('description').where('case_id', '=', free).executeTakeFirstOrThrow()).description).toBe('');
		const audit = await db.selectFrom('audit_log').select(['detail', 'reason']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', free).execute();
		expect(JSON.stringify(audit)).not.toMatch(/Jane|Tom|Leeds|07700/);
		expect(audit.every((a) => a.reason === null)).toBe(true);
		expect(audit.some((a) => a.detail.result === 'not_resolved')).toBe(true);

		// The held case and the recent one are untouched; lifting the hold lets the next run anonymise it.
		const kept = await db.selectFrom('dispute_case').select(['id', 'child_views', 'anonymised_at']).where('id', 'in', [held, recent]).orderBy('id').execute();
		expect(kept.map((k) => [k.child_views, k.anonymised_at])).toEqual([
			['Wants to sit with Tom', null],
			['Wants to sit with Tom', null]
		]);
		await setLegalHold(db, people.sendiass, { caseId: held, version: await version(held), hold: '', reason: 'Tribunal decided' });
		expect((await runDisputesDaily(db)).anonymised).toBe(1);
		expect((await db.selectFrom('dispute_case').select('child_views').where('id', '=', held).executeTakeFirstOrThrow()).child_views).toBe('');
		await refused(setLegalHold(db, people.sendiass, { caseId: held, version: await version(held), hold: 'ombudsman', reason: 'Too late' }), 'BAD_REQUEST');
	});

	it('flags a late case for the officers’ home page and chases an overdue action once, not again the same week', async () => {
		const late = await aCase('met', { status_changed_at: longAgo });
		const open = await aCase('outcome');
		await db.insertInto('dispute_outcome').values({ case_id: open, result: 'resolved', met_on: '2026-01-01', follow_up_on: future(200) }).execute();
		const overdue = (await db.insertInto('dispute_action').values({ case_id: open, description: 'Send the plan', owner_kind: 'setting', due_on: '2025-01-01' }).returning('id').executeTakeFirstOrThrow()).id;
		const first = await runDisputesDaily(db);
		expect(first.chased).toBeGreaterThanOrEqual(1);
		const flag = await db.selectFrom('dispute_flag').select(['key', 'level']).where('case_id', '=', late).execute();
		expect(flag).toEqual([{ key: 'target_outcome', level: 'past' }]);
		const todo = await todoFor(db, people.sendiass);
		expect(todo.find((g) => g.provider === 'disputes.flags')?.items.map((i) => i.link)).toContain(`/disputes/${late}`);
		expect((await todoFor(db, people.head)).find((g) => g.provider === 'disputes.flags')).toBeUndefined();
		const chases = async () => db.selectFrom('audit_log').select('id').where('action', '=', 'disputes.action_chased').where('subject_id', '=', open).execute();
		expect(await chases()).toHaveLength(1);
		const told = await db.selectFrom('notification').select('user_id').where('kind', '=', 'disputes.action_overdue').where('link', '=', `/disputes/${open}/outcome`).execute();
		expect(told.map((t) => t.user_id).sort()).toEqual([people.head.id, people.senco.id, people.sendiass.id].sort());
		expect((await runDisputesDaily(db)).chased).toBe(0);
		expect(await chases()).toHaveLength(1);
		expect((await db.selectFrom('dispute_action').select('chased_on').where('id', '=', overdue).executeTakeFirstOrThrow()).chased_on).not.toBeNull();
	});

	/** A case past its outcome target (five working days from a meeting a month ago: no term dates needed), in Cherwell unless moved. */
	const lateCase = (more: Parameters<typeof insertCase>[2] = {}) => aCase('met', { status_changed_at: new Date(Date.now() - 30 * 86_400_000), other_party: 'academy', setting_id: null, ...more });
	const flagsOf = (caseIds: number[]) => db.selectFrom('dispute_flag').select(['case_id', 'district_id', 'key']).where('case_id', 'in', caseIds).orderBy('case_id').execute();

	it('a case moved to another district while its old district is being flagged is flagged in its new one, and no district’s flags are lost', async () => {
		const stays = await lateCase();
		const moves = await lateCase();
		const oxfords = await lateCase({ district_id: ids.oxford });
		let flagging: Promise<unknown> | undefined;
		// The move holds the case's row while the job flags Cherwell (having read the case there) and waits on it; then the move commits.
		await db.transaction().execute(async (trx) => {
			await trx.updateTable('dispute_case').set({ district_id: ids.oxford }).where('id', '=', moves).execute();
			const holder = await backendPid(trx);
			flagging = flagCases(db, londonDate(new Date())).then(
				(n) => n,
				(e: unknown) => e
			);
			for (let waited = 0; waited < 100; waited++) {
				if ((await waitingFor(db, holder)) > 0) break;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		});
		expect(await flagging).toMatchObject({ failedDistricts: [] });
		expect(await flagsOf([stays, moves, oxfords])).toEqual([
			{ case_id: stays, district_id: ids.cherwell, key: 'target_outcome' },
			{ case_id: moves, district_id: ids.oxford, key: 'target_outcome' },
			{ case_id: oxfords, district_id: ids.oxford, key: 'target_outcome' }
		]);
	});

	it('a district whose flags cannot be written is logged and keeps yesterday’s; the districts after it are still flagged', async () => {
		const cherwells = await lateCase();
		await flagCases(db, londonDate(new Date()));
		const oxfords = await lateCase({ district_id: ids.oxford });
		// Cherwell's flags are refused by the database for this run only.
		await sql`create function refuse_flags() returns trigger language plpgsql as $$ begin raise exception 'flags refused for the test'; end $$`.execute(db);
		await sql`create trigger refuse_flags before insert on dispute_flag for each row when (new.district_id = ${sql.lit(ids.cherwell)}) execute function refuse_flags()`.execute(db);
		const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined);
		try {
			expect(await flagCases(db, londonDate(new Date()))).toMatchObject({ failedDistricts: [ids.cherwell] });
			expect(logged).toHaveBeenCalledWith(expect.objectContaining({ districtId: ids.cherwell }), expect.any(String));
		} finally {
			logged.mockRestore();
			await sql`drop trigger refuse_flags on dispute_flag`.execute(db);
			await sql`drop function refuse_flags()`.execute(db);
		}
		expect(await flagsOf([cherwells, oxfords])).toEqual([
			{ case_id: cherwells, district_id: ids.cherwell, key: 'target_outcome' },
			{ case_id: oxfords, district_id: ids.oxford, key: 'target_outcome' }
		]);
	});

	it('a run in which a district’s flags fail still chases and anonymises, and is recorded as failed, naming the district', async () => {
		await lateCase();
		const due = await aCase('withdrawn', { status_changed_at: longAgo });
		await db.deleteFrom('scheduled_job').where('name', '=', 'disputes-daily').execute();
		await sql`create function refuse_flags() returns trigger language plpgsql as $$ begin raise exception 'flags refused for the test'; end $$`.execute(db);
		await sql`create trigger refuse_flags before insert on dispute_flag for each row when (new.district_id = ${sql.lit(ids.cherwell)}) execute function refuse_flags()`.execute(db);
		const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined);
		try {
			expect(await runIfDue(db, disputesDailyJob())).toBe(true);
		} finally {
			logged.mockRestore();
			await sql`drop trigger refuse_flags on dispute_flag`.execute(db);
			await sql`drop function refuse_flags()`.execute(db);
		}
		const job = await db.selectFrom('scheduled_job').select('last_error').where('name', '=', 'disputes-daily').executeTakeFirstOrThrow();
		expect(job.last_error).toContain(`flags could not be written for district ${ids.cherwell}`);
		const anonymised = await db.selectFrom('audit_log').select('id').where('action', '=', 'disputes.case_anonymised').where('subject_id', '=', due).execute();
		expect(anonymised).toHaveLength(1);
		// A clean run clears the failure.
		await db.updateTable('scheduled_job').set({ next_run_at: new Date(0) }).where('name', '=', 'disputes-daily').execute();
		expect(await runIfDue(db, disputesDailyJob())).toBe(true);
		expect((await db.selectFrom('scheduled_job').select('last_error').where('name', '=', 'disputes-daily').executeTakeFirstOrThrow()).last_error).toBeNull();
	});

	it('runs once when two instances find it due at the same moment', async () => {
		const due = await aCase('withdrawn', { status_changed_at: longAgo });
		await db.deleteFrom('scheduled_job').where('name', '=', 'disputes-daily').execute();
		const job = disputesDailyJob();
		const ran = await Promise.all([runIfDue(db, job), runIfDue(db, job)]);
		expect(ran.filter(Boolean)).toHaveLength(1);
		expect(await runIfDue(db, job)).toBe(false);
		const anonymised = await db.selectFrom('audit_log').select('id').where('action', '=', 'disputes.case_anonymised').where('subject_id', '=', due).execute();
		expect(anonymised).toHaveLength(1);
	});
});
