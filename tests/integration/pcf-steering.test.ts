import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addFeedback, addPoint, approvePosition, extendConsultation, openConsultation, recordSteeringDecision, savePosition } from '../../src/lib/server/pcf/commands';
import { consultationPage, consultationsFor, districtConsultations, workspaceConsultations } from '../../src/lib/server/pcf/consultations';
import { earliestClosing } from '../../src/lib/server/pcf/closing';
import { calendarAround } from '../../src/lib/server/disputes/cases';
import { addCalendarDays } from '../../src/lib/server/disputes/calendar';
import { ukToday } from '../../src/lib/dates';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';

// Decision items of a cluster steering group against a real PostgreSQL: a cluster lead puts one on
// the agenda of a workspace with the meeting that decides it (the forum's advice closes before
// it); the district's PCF group reads and advises, another district's representative and a
// headteacher outside the cluster are refused; after the meeting only the item's owner or an
// officer records the decision, saying how the forum's advice was considered when there is any.

usePcfCounty();

const TODAY = ukToday();
let earliest = '';
const weekday = (iso: string) => {
	let day = iso;
	while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addCalendarDays(day, 1);
	return day;
};
const input = (over: Record<string, unknown> = {}) => ({
	clusterId: ids.banbury,
	title: 'Sharing the outreach teacher',
	body: 'Share the outreach teacher by pupils on SEN support, or by requests as they come in?',
	link: '',
	label: 'steering_decision',
	statutoryRoute: '',
	stage: 'consulting',
	closesOn: earliest,
	meetingOn: addCalendarDays(earliest, 7),
	...over
});
const row = (id: number) => db.selectFrom('pcf_consultation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const written = async () => Number((await sql<{ n: string }>`select count(*) as n from pcf_consultation`.execute(db)).rows[0].n);
/** The meeting has happened: the item's dates moved into the past (as the calendar would have moved them). */
const meetingHeld = (id: number) =>
	db
		.updateTable('pcf_consultation')
		.set({ opens_on: addCalendarDays(TODAY, -60), closes_on: addCalendarDays(TODAY, -10), decision_meeting_on: addCalendarDays(TODAY, -1) })
		.where('id', '=', id)
		.execute();

describe('putting a decision on the steering group’s agenda', () => {
	it('is for a cluster lead or an officer, with a meeting after the forum’s advice closes', async () => {
		earliest = earliestClosing(TODAY, { minDays: 30, avoidHolidays: true }, await calendarAround(db, ids.district, TODAY));
		const before = await written();
		await expectRefusal(openConsultation(db, actors.sencoMeadow, input()), 'FORBIDDEN', /Only a council officer or a lead of Banbury/);
		await expectRefusal(openConsultation(db, actors.pcf, input()), 'FORBIDDEN');
		const sameDay = await expectRefusal(openConsultation(db, actors.lead, input({ meetingOn: earliest })), 'BAD_REQUEST', /must meet after the forum’s advice closes/);
		expect(Object.keys(sameDay.fieldErrors ?? {})).toEqual(['meetingOn']);
		const missing = await expectRefusal(openConsultation(db, actors.lead, input({ meetingOn: undefined })), 'BAD_REQUEST');
		expect(missing.fieldErrors?.meetingOn?.[0]).toMatch(/date of the steering group meeting/);
		// The district's closing-date rule still applies to the forum's advice.
		await expectRefusal(openConsultation(db, actors.lead, input({ closesOn: addCalendarDays(earliest, -1) })), 'BAD_REQUEST', /at least 30 working days/);
		expect(await written()).toBe(before);

		ids.steering = (await openConsultation(db, actors.lead, input())).consultationId;
		expect(await row(ids.steering)).toMatchObject({ label: 'steering_decision', decision_meeting_on: addCalendarDays(earliest, 7), closes_on: earliest, status: 'open' });
		// A consultation of another kind has no meeting, even if one is sent.
		const plain = (await openConsultation(db, actors.officer, input({ label: 'co_design', title: 'Core offer' }))).consultationId;
		expect((await row(plain)).decision_meeting_on).toBeNull();
		ids.plainConsultation = plain;
	});

	it('keeps the forum’s advice closing before the meeting when the closing date is extended', async () => {
		const item = await row(ids.steering);
		const past = weekday(addCalendarDays(item.decision_meeting_on!, 1));
		await expectRefusal(extendConsultation(db, actors.lead, { consultationId: ids.steering, version: item.version, closesOn: past, reason: 'More time' }), 'BAD_REQUEST', /must meet after/);
		expect((await row(ids.steering)).closes_on).toBe(earliest);
	});
});

describe('who reads and advises on it', () => {
	it('is the district’s group, the cluster’s settings and officers: shown as a steering group decision in their lists', async () => {
		for (const key of ['pcf', 'pcfLead', 'headMeadow', 'officer', 'lead']) {
			expect((await consultationPage(db, actors[key], ids.steering)).consultation).toMatchObject({ label: 'steering_decision', decision_meeting_on: addCalendarDays(earliest, 7) });
		}
		expect((await consultationsFor(db, actors.pcf, null)).items.find((k) => k.id === ids.steering)?.label).toBe('steering_decision');
		expect((await districtConsultations(db, actors.pcf, ids.district, null)).items.map((k) => [k.id, k.label])).toContainEqual([ids.steering, 'steering_decision']);
		const workspace = await workspaceConsultations(db, actors.lead, { clusterId: ids.banbury, clusterName: 'Banbury', districtId: ids.district });
		expect(workspace?.open).toBe(true);
		expect(workspace?.newest.map((k) => k.id)).toContain(ids.steering);
	});

	it('refuses another district’s representative and a headteacher of a setting outside the cluster', async () => {
		await expectRefusal(consultationPage(db, actors.pcfOxford, ids.steering), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(consultationPage(db, actors.outsider, ids.steering), 'FORBIDDEN');
		await expectRefusal(districtConsultations(db, actors.pcfOxford, ids.district, null), 'FORBIDDEN');
		expect((await consultationsFor(db, actors.pcfOxford, null)).items).toEqual([]);
		expect((await consultationsFor(db, actors.outsider, null)).items.map((k) => k.id)).not.toContain(ids.steering);
		expect(await workspaceConsultations(db, actors.pcfOxford, { clusterId: ids.banbury, clusterName: 'Banbury', districtId: ids.district })).toBeNull();
		const key = { consultationId: ids.steering };
		await expectRefusal(savePosition(db, actors.pcfOxford, { ...key, version: 0, stance: 'concerns', summary: '' }), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(addPoint(db, actors.outsider, { ...key, body: 'Not my cluster', themeIds: [] }), 'FORBIDDEN');
	});

	it('takes the group’s position and points, approved by its lead', async () => {
		const key = { consultationId: ids.steering };
		await savePosition(db, actors.pcf, { ...key, version: 0, stance: 'concerns', summary: 'Families need to know how to ask for the outreach teacher.' });
		ids.steeringPoint = (await addPoint(db, actors.pcf, { ...key, body: 'Publish how a family asks for outreach time.', themeIds: [ids.communication] })).pointId;
		const { advice } = await consultationPage(db, actors.pcfLead, ids.steering);
		await approvePosition(db, actors.pcfLead, { ...key, version: advice.position!.version, agreedOn: TODAY, agreedWhere: 'Group meeting' });
		expect((await consultationPage(db, actors.pcf, ids.steering)).advice.points.map((p) => p.id)).toContain(ids.steeringPoint);
	});
});

describe('recording the steering group’s decision', () => {
	const decide = (key: string, over: Record<string, unknown> = {}) =>
		row(ids.steering).then((item) =>
			recordSteeringDecision(db, actors[key], { consultationId: ids.steering, version: item.version, decision: 'Shared by pupils on SEN support, reviewed in a term.', adviceConsidered: '', ...over })
		);

	it('waits for the day of the meeting', async () => {
		await expectRefusal(decide('lead'), 'BAD_REQUEST', /record its decision on or after that day/);
		const { can } = await consultationPage(db, actors.lead, ids.steering);
		expect(can).toMatchObject({ decide: false, decideLater: true });
		expect((await row(ids.steering)).decided_at).toBeNull();
	});

	it('is only for the item’s owner or an officer, never the forum, another lead’s cluster staff or a headteacher', async () => {
		await meetingHeld(ids.steering);
		await expectRefusal(decide('pcf'), 'FORBIDDEN', /Only the person who put this item on the steering group’s agenda/);
		await expectRefusal(decide('pcfLead'), 'FORBIDDEN');
		await expectRefusal(decide('headMeadow'), 'FORBIDDEN');
		await expectRefusal(decide('outsider'), 'FORBIDDEN');
		expect((await consultationPage(db, actors.pcf, ids.steering)).can.decide).toBe(false);
		const { can, adviceTally } = await consultationPage(db, actors.lead, ids.steering);
		expect(can.decide).toBe(true);
		expect(adviceTally).toEqual({ points: 1, unanswered: 1 });
	});

	it('is refused without saying how the forum’s advice was considered when it gave points, naming the unanswered ones; nothing is written', async () => {
		const refusal = await expectRefusal(decide('lead', { adviceConsidered: '   ' }), 'BAD_REQUEST', /Say how the PCF advisory group’s advice was considered/);
		expect(refusal.fieldErrors?.adviceConsidered?.[0]).toMatch(/1 of its 1 points has no published answer yet/);
		await expectRefusal(decide('lead', { decision: '' }), 'BAD_REQUEST');
		const item = await row(ids.steering);
		expect(item).toMatchObject({ decided_at: null, decision: null, status: 'open' });
	});

	it('is recorded with it: who, when and why on the timeline, closing the item, and only once', async () => {
		await decide('lead', { adviceConsidered: 'The group weighed the forum’s concern; the cluster will publish how families ask for outreach time.' });
		const item = await row(ids.steering);
		expect(item).toMatchObject({ status: 'closed', decided_by: ids.lead, closed_by: ids.lead, decision: 'Shared by pupils on SEN support, reviewed in a term.' });
		expect(item.decision_advice_considered).toMatch(/publish how families ask/);
		const { timeline, consultation, can } = await consultationPage(db, actors.pcf, ids.steering);
		expect(consultation.decider_name).toBe('Lee Lead');
		expect(can).toMatchObject({ decide: false, manage: false });
		expect(timeline[0]).toMatchObject({ action: 'pcf.steering_decision_recorded', actorName: 'Lee Lead', reason: expect.stringMatching(/How the PCF advisory group’s advice was considered: The group weighed/) });
		await expectRefusal(decide('officer', { adviceConsidered: 'Again' }), 'CONFLICT', /already been recorded/);
		await expectRefusal(addFeedback(db, actors.officer, { consultationId: ids.steering, source: 'survey', heardOn: TODAY, raisedCount: 3, body: 'Late', themeIds: [] }), 'FORBIDDEN', /has closed/);
	});

	it('needs no advice text when the forum gave none, and is recorded by an officer', async () => {
		const id = (await openConsultation(db, actors.lead, input({ title: 'Cluster meeting dates' }))).consultationId;
		await meetingHeld(id);
		const { version } = await row(id);
		await recordSteeringDecision(db, actors.officer, { consultationId: id, version, decision: 'Meetings stay on Tuesdays.', adviceConsidered: '' });
		expect(await row(id)).toMatchObject({ decided_by: ids.officer, decision_advice_considered: null, status: 'closed' });
	});

	it('two people recording the decision at once: one is recorded, the other is told it changed, and the item has one decision', async () => {
		const id = (await openConsultation(db, actors.lead, input({ title: 'Outreach rota' }))).consultationId;
		await meetingHeld(id);
		const { version } = await row(id);
		const record = (who: 'lead' | 'officer', decision: string) => recordSteeringDecision(db, actors[who], { consultationId: id, version, decision, adviceConsidered: '' });
		const results = await Promise.allSettled([record('lead', 'Rota by term.'), record('officer', 'Rota by week.')]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const loser = results.find((r) => r.status === 'rejected');
		expect((loser as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
		const decided = await db.selectFrom('audit_log').select('id').where('action', '=', 'pcf.steering_decision_recorded').where('subject_id', '=', id).execute();
		expect(decided).toHaveLength(1);
	});

	it('is only on a steering group decision item', async () => {
		const { version } = await row(ids.plainConsultation);
		await expectRefusal(recordSteeringDecision(db, actors.officer, { consultationId: ids.plainConsultation, version, decision: 'Decided', adviceConsidered: '' }), 'NOT_FOUND');
	});
});
