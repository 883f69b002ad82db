import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addPoint, closeDueConsultations, consultationClosingJob, openConsultation, savePosition, setConsultationRule } from '../../src/lib/server/pcf/commands';
import { consultationListRooms, consultationPage, consultationRulePage, consultationsFor, workspacesToOpen } from '../../src/lib/server/pcf/consultations';
import { consultationsRoom } from '../../src/lib/pcf/live';
import { discussionFor, postComment } from '../../src/lib/server/discussions';
import { loadSubject, seenBy } from '../../src/lib/server/discussions/subjects';
import { pcfLive } from '../../src/lib/server/pcf/live';
import { can } from '../../src/lib/server/policy';
import { runIfDue } from '../../src/lib/server/jobs/scheduler';
import { earliestClosing } from '../../src/lib/server/pcf/closing';
import { calendarAround } from '../../src/lib/server/disputes/cases';
import { addCalendarDays } from '../../src/lib/server/disputes/calendar';
import { ukToday } from '../../src/lib/dates';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';

// Consultations against a real PostgreSQL, beyond opening and answering: the discussion on a
// consultation (read and written by exactly who may read the consultation), its live room (the
// same readers; events carry the kind of change and the id only), and the job that closes a
// consultation once its closing date has passed: as the portal, on the timeline, once however
// many times or instances run it; and the district's closing-date rule, set by an officer saying
// why, with its history.

usePcfCounty();

const TODAY = ukToday();
const onConsultation = (id: number) => ({ kind: 'pcf_consultation' as const, id });
const comments = async () => Number((await sql<{ n: string }>`select count(*) as n from discussion_comment`.execute(db)).rows[0].n);
const closings = async (id: number) =>
	Number((await sql<{ n: string }>`select count(*) as n from audit_log where subject_type = 'pcf_consultation' and subject_id = ${id} and action = 'pcf.consultation_closed'`.execute(db)).rows[0].n);
const eventsIn = (id: number) => db.selectFrom('live_event').select(['kind', 'payload']).where('room', '=', `consultation:${id}`).orderBy('seq').execute();
const consultationRoom = pcfLive.rooms!.find((room) => room.kind === 'consultation')!;

async function open(clusterId: number, title: string, actorKey = 'officer') {
	const closesOn = earliestClosing(TODAY, { minDays: 30, avoidHolidays: true }, await calendarAround(db, ids.district, TODAY));
	const input = { clusterId, title, body: 'What should change?', link: '', label: 'co_design', statutoryRoute: '', stage: 'engaging', closesOn };
	return (await openConsultation(db, actors[actorKey], input)).consultationId;
}

/** Moves a consultation's dates back, as if it had opened weeks ago and its closing date was yesterday. */
const pastItsDate = (id: number) =>
	db
		.updateTable('pcf_consultation')
		.set({ opens_on: addCalendarDays(TODAY, -45), closes_on: addCalendarDays(TODAY, -1) })
		.where('id', '=', id)
		.execute();

describe('the discussion on a consultation', () => {
	it('is read and written by the district’s PCF group, the workspace’s SENCO and officers', async () => {
		ids.banburyConsultation = await open(ids.banbury, 'Banbury transport review', 'lead');
		const subject = await loadSubject(db, 'pcf_consultation', ids.banburyConsultation);
		expect(subject.link).toBe(`/pcf/consultations/${ids.banburyConsultation}`);
		for (const key of ['pcf', 'pcfLead', 'sencoMeadow', 'officer', 'lead']) {
			expect(can(actors[key], { action: 'discussion.post', subject: seenBy(subject, actors[key]) }).allowed, key).toBe(true);
		}
		const posted = await postComment(db, actors.pcf, { subject: onConsultation(ids.banburyConsultation), parentId: null, body: 'Families ask about taxis.' });
		await postComment(db, actors.sencoMeadow, { subject: onConsultation(ids.banburyConsultation), parentId: posted.commentId, body: 'We can share our routes.' });
		const page = await discussionFor(db, actors.officer, 'pcf_consultation', ids.banburyConsultation);
		expect(page.threads.map((t) => [t.authorName, t.replies.map((r) => r.authorName)])).toEqual([['Pat Parent', ['Sam Senco']]]);
	});

	it('refuses another district’s PCF representative, a SENCO of another workspace and anyone signed out of it, writing nothing', async () => {
		ids.bicesterConsultation = await open(ids.bicester, 'Bicester core offer');
		const before = await comments();
		await expectRefusal(discussionFor(db, actors.pcfOxford, 'pcf_consultation', ids.banburyConsultation), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(postComment(db, actors.pcfOxford, { subject: onConsultation(ids.banburyConsultation), parentId: null, body: 'From Oxford' }), 'FORBIDDEN');
		await expectRefusal(discussionFor(db, actors.sencoMeadow, 'pcf_consultation', ids.bicesterConsultation), 'FORBIDDEN');
		await expectRefusal(postComment(db, actors.sencoMeadow, { subject: onConsultation(ids.bicesterConsultation), parentId: null, body: 'Hello' }), 'FORBIDDEN');
		await expectRefusal(postComment(db, actors.pcf, { subject: onConsultation(999_999), parentId: null, body: 'x' }), 'NOT_FOUND');
		expect(await comments()).toBe(before);
	});
});

describe('the consultation’s live room', () => {
	it('lets in whoever may read the consultation, and refuses the rest with a reason', async () => {
		for (const key of ['pcf', 'sencoMeadow', 'officer', 'lead']) expect((await consultationRoom.authorize(db, actors[key], ids.banburyConsultation)).allowed, key).toBe(true);
		const oxford = await consultationRoom.authorize(db, actors.pcfOxford, ids.banburyConsultation);
		expect(oxford.allowed).toBe(false);
		expect(oxford.allowed ? '' : oxford.reason).toMatch(/Cherwell PCF advisory group/);
		expect((await consultationRoom.authorize(db, actors.sencoMeadow, ids.bicesterConsultation)).allowed).toBe(false);
		expect((await consultationRoom.authorize(db, null, ids.banburyConsultation)).allowed).toBe(false);
		expect((await consultationRoom.authorize(db, actors.officer, 999_999)).allowed).toBe(false);
	});

	it('hears that it opened and that a point was added, by kind of change and id only', async () => {
		const key = { consultationId: ids.banburyConsultation };
		await savePosition(db, actors.pcf, { ...key, stance: 'concerns', summary: 'Transport first', version: 0 });
		await addPoint(db, actors.pcf, { ...key, body: 'Say how taxis are booked', themeIds: [ids.transport] });
		const events = await eventsIn(ids.banburyConsultation);
		expect(events.map((e) => e.kind)).toEqual(['pcf.consultation.changed', 'pcf.consultation.changed', 'pcf.consultation.changed']);
		expect(events.map((e) => e.payload)).toEqual([
			{ consultationId: ids.banburyConsultation, change: 'opened' },
			{ consultationId: ids.banburyConsultation, change: 'advice' },
			{ consultationId: ids.banburyConsultation, change: 'advice' }
		]);
	});
});

describe('closing on the closing date', () => {
	it('closes only consultations whose date has passed, as the portal, on the timeline, telling the room', async () => {
		await pastItsDate(ids.banburyConsultation);
		expect(await closeDueConsultations(db, TODAY)).toBe(1);
		const row = await db.selectFrom('pcf_consultation').select(['status', 'closed_by', 'closed_at', 'closed_automatically']).where('id', '=', ids.banburyConsultation).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'closed', closed_by: null, closed_automatically: true });
		expect(row.closed_at).toBeInstanceOf(Date);
		const bicester = await db.selectFrom('pcf_consultation').select('status').where('id', '=', ids.bicesterConsultation).executeTakeFirstOrThrow();
		expect(bicester.status).toBe('open');
		const page = await consultationPage(db, actors.pcf, ids.banburyConsultation);
		const closing = page.timeline.find((entry) => entry.action === 'pcf.consultation_closed')!;
		expect(closing.actorName).toBeNull();
		expect(closing.detail).toMatchObject({ automatically: true });
		expect(page.can.manage).toBe(false);
		expect((await eventsIn(ids.banburyConsultation)).at(-1)?.payload).toEqual({ consultationId: ids.banburyConsultation, change: 'closed' });
		// Closed: the forum's group can add nothing more.
		await expectRefusal(addPoint(db, actors.pcf, { consultationId: ids.banburyConsultation, body: 'Late', themeIds: [] }), 'FORBIDDEN', /has closed/);
	});

	it('is idempotent: a second run, or two at once, close nothing twice', async () => {
		expect(await closeDueConsultations(db, TODAY)).toBe(0);
		expect(await closings(ids.banburyConsultation)).toBe(1);
		await pastItsDate(ids.bicesterConsultation);
		const runs = await Promise.all([closeDueConsultations(db, TODAY), closeDueConsultations(db, TODAY)]);
		expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
		expect(await closings(ids.bicesterConsultation)).toBe(1);
	});

	it('runs once across instances: of two schedulers due at once, one runs the job and the next is not due', async () => {
		const late = await open(ids.banbury, 'Banbury short breaks', 'lead');
		await pastItsDate(late);
		const job = consultationClosingJob();
		await db.updateTable('scheduled_job').set({ next_run_at: new Date(Date.now() - 1000) }).where('name', '=', job.name).execute();
		const ran = await Promise.all([runIfDue(db, job), runIfDue(db, job)]);
		expect(ran.filter(Boolean)).toHaveLength(1);
		expect(await runIfDue(db, job)).toBe(false);
		expect(await closings(late)).toBe(1);
	});
});

describe('the district’s consultation rule', () => {
	const ruleInput = (over: Record<string, unknown> = {}) => ({ districtId: ids.district, version: 0, minDays: '20', avoidHolidays: 'no', reason: 'Agreed at the SEND reform steering group', ...over });
	const groupVersion = async () => (await db.selectFrom('pcf_group').select('version').where('district_id', '=', ids.district).executeTakeFirstOrThrow()).version;

	it('starts at the defaults (30 working days, holidays avoided) and is shown only to officers', async () => {
		const page = await consultationRulePage(db, actors.officer, ids.district);
		expect(page.rule).toEqual({ minDays: 30, avoidHolidays: true });
		expect(page.history).toEqual([]);
		for (const key of ['pcf', 'pcfLead', 'lead', 'sencoMeadow', 'pcfOxford']) await expectRefusal(consultationRulePage(db, actors[key], ids.district), 'FORBIDDEN', /Only council officers/);
	});

	it('is changed only by an officer, with field errors for bad input and a reason required, writing nothing when refused', async () => {
		const version = await groupVersion();
		for (const key of ['pcf', 'pcfLead', 'lead', 'sencoMeadow']) await expectRefusal(setConsultationRule(db, actors[key], ruleInput({ version })), 'FORBIDDEN', /Only council officers/);
		for (const [over, field] of [
			[{ minDays: '0' }, 'minDays'],
			[{ minDays: '121' }, 'minDays'],
			[{ minDays: 'ten' }, 'minDays'],
			[{ avoidHolidays: 'maybe' }, 'avoidHolidays'],
			[{ reason: '  ' }, 'reason']
		] as const) {
			const refusal = await expectRefusal(setConsultationRule(db, actors.officer, ruleInput({ version, ...over })), 'BAD_REQUEST');
			expect(Object.keys(refusal.fieldErrors ?? {}), field).toContain(field);
		}
		expect((await consultationRulePage(db, actors.officer, ids.district)).history).toEqual([]);
		expect(await groupVersion()).toBe(version);
	});

	it('records who changed it, when and why; a repeated save changes nothing; a stale page is told', async () => {
		const version = await groupVersion();
		expect(await setConsultationRule(db, actors.officer, ruleInput({ version }))).toEqual({ changed: true });
		// The same form sent twice (a double click): nothing more is recorded.
		expect(await setConsultationRule(db, actors.officer, ruleInput({ version }))).toEqual({ changed: false });
		await expectRefusal(setConsultationRule(db, actors.officer2, ruleInput({ version, minDays: '25' })), 'CONFLICT', /Someone else changed/);
		const page = await consultationRulePage(db, actors.officer2, ids.district);
		expect(page.rule).toEqual({ minDays: 20, avoidHolidays: false });
		expect(page.history).toHaveLength(1);
		expect(page.history[0]).toMatchObject({ actorName: 'Olive Officer', reason: 'Agreed at the SEND reform steering group', action: 'pcf.consultation_rule_changed' });
		expect(page.history[0].detail).toMatchObject({ from: { minDays: 30, avoidHolidays: true }, to: { minDays: 20, avoidHolidays: false } });
		expect(page.history[0].at).toBeInstanceOf(Date);
	});

	it('is the rule new consultations are held to', async () => {
		const banbury = (await workspacesToOpen(db, actors.lead)).find((w) => w.id === ids.banbury)!;
		expect(banbury).toMatchObject({ minDays: 20, avoidHolidays: false });
		expect(banbury.earliest).toBe(earliestClosing(TODAY, { minDays: 20, avoidHolidays: false }, await calendarAround(db, ids.district, TODAY)));
		const refusal = await expectRefusal(
			openConsultation(db, actors.lead, { clusterId: ids.banbury, title: 'Too short', body: 'x', link: '', label: 'co_design', statutoryRoute: '', stage: 'engaging', closesOn: addCalendarDays(banbury.earliest, -1) }),
			'BAD_REQUEST',
			/at least 20 working days/
		);
		expect(refusal.fieldErrors?.closesOn).toBeDefined();
	});
});

describe('the consultations list, live', () => {
	const listRoom = pcfLive.rooms!.find((room) => room.kind === 'consultations')!;
	const countyRoom = pcfLive.rooms!.find((room) => room.kind === 'consultationscounty')!;
	const listEvents = (clusterId: number | null) => db.selectFrom('live_event').select(['kind', 'payload']).where('room', '=', consultationsRoom(clusterId)).orderBy('seq').execute();

	it('is followed by whoever sees a workspace’s consultations in their list: its members and its district’s group; every workspace’s by officers only', async () => {
		for (const key of ['pcf', 'pcfLead', 'sencoMeadow', 'lead', 'officer']) expect((await listRoom.authorize(db, actors[key], ids.banbury)).allowed, key).toBe(true);
		const oxford = await listRoom.authorize(db, actors.pcfOxford, ids.banbury);
		expect(oxford.allowed ? '' : oxford.reason).toMatch(/your own workspaces/);
		expect((await listRoom.authorize(db, actors.sencoMeadow, ids.bicester)).allowed).toBe(false);
		expect((await listRoom.authorize(db, null, ids.banbury)).allowed).toBe(false);
		expect((await countyRoom.authorize(db, actors.officer, 1)).allowed).toBe(true);
		for (const key of ['pcf', 'pcfLead', 'sencoMeadow', 'lead']) expect((await countyRoom.authorize(db, actors[key], 1)).allowed, key).toBe(false);
		expect((await countyRoom.authorize(db, actors.officer, 2)).allowed).toBe(false);
		// Each list page joins the rooms of what it lists, and is let in to each.
		expect(consultationListRooms(actors.officer)).toEqual([consultationsRoom(null)]);
		for (const key of ['pcf', 'sencoMeadow', 'pcfOxford']) {
			const rooms = consultationListRooms(actors[key]);
			expect(rooms.length, key).toBeGreaterThan(0);
			for (const room of rooms) expect((await listRoom.authorize(db, actors[key], Number(room.split(':')[1]))).allowed, `${key} ${room}`).toBe(true);
		}
	});

	it('hears, by kind of change and id only, of a consultation opened or closed in the workspace: in its room and the county’s, never another workspace’s', async () => {
		const before = { banbury: (await listEvents(ids.banbury)).length, bicester: (await listEvents(ids.bicester)).length, county: (await listEvents(null)).length };
		const opened = await open(ids.banbury, 'Banbury short breaks');
		const banbury = (await listEvents(ids.banbury)).slice(before.banbury);
		expect(banbury).toEqual([{ kind: 'pcf.consultations.changed', payload: { consultationId: opened, change: 'opened' } }]);
		expect((await listEvents(null)).slice(before.county)).toEqual(banbury);
		expect(await listEvents(ids.bicester)).toHaveLength(before.bicester);
		// Whoever hears of it finds it when the list is read again.
		expect((await consultationsFor(db, actors.sencoMeadow, null)).items.map((k) => k.id)).toContain(opened);
		await pastItsDate(opened);
		await closeDueConsultations(db);
		expect((await listEvents(ids.banbury)).slice(before.banbury + 1)).toEqual([{ kind: 'pcf.consultations.changed', payload: { consultationId: opened, change: 'closed' } }]);
	});
});
