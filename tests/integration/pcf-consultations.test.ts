import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
	addFeedback,
	addPoint,
	answerPoint,
	approvePosition,
	checkPoint,
	closeConsultation,
	extendConsultation,
	openConsultation,
	publishAnswers,
	savePosition,
	setWatch
} from '../../src/lib/server/pcf/commands';
import { consultationPage, consultationsFor, workspacesToOpen } from '../../src/lib/server/pcf/consultations';
import { publicPoints } from '../../src/lib/server/pcf/queries';
import { earliestClosing } from '../../src/lib/server/pcf/closing';
import { calendarAround } from '../../src/lib/server/disputes/cases';
import { addCalendarDays } from '../../src/lib/server/disputes/calendar';
import { ukToday } from '../../src/lib/dates';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';
import { backendPid, waitingFor } from './locks';

// Consultations and decision points against a real PostgreSQL: who may open one (an officer or a
// lead of the workspace, never a SENCO), the closing-date rule with the earliest date suggested,
// who may read it (the district's group and the workspace, never another district's PCF rep), the
// forum's position, points and answers on it through the same commands as a bid's (nobody answers
// their own point), publication after two checks, and closing and extending with reasons.

usePcfCounty();

const TODAY = ukToday();
const versionOf = async (table: 'pcf_point' | 'pcf_consultation', id: number) => (await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const consultationsWritten = async () => Number((await sql<{ n: string }>`select count(*) as n from pcf_consultation`.execute(db)).rows[0].n);
let earliest = '';
const input = (over: Record<string, unknown> = {}) => ({
	clusterId: ids.banbury,
	title: 'Draft Banbury cluster MOU',
	body: 'How the cluster’s settings share their SEND support. What should change before it is signed?',
	link: 'https://example.org/mou.pdf',
	label: 'pre_consultation',
	statutoryRoute: '',
	stage: 'engaging',
	closesOn: earliest,
	...over
});

describe('opening a consultation', () => {
	it('is for an officer or a lead of the workspace, never a SENCO or another cluster’s lead', async () => {
		earliest = earliestClosing(TODAY, { minDays: 30, avoidHolidays: true }, await calendarAround(db, ids.district, TODAY));
		const before = await consultationsWritten();
		await expectRefusal(openConsultation(db, actors.sencoMeadow, input()), 'FORBIDDEN', /Only a council officer or a lead of Banbury/);
		await expectRefusal(openConsultation(db, actors.pcf, input()), 'FORBIDDEN');
		await expectRefusal(openConsultation(db, actors.lead, input({ clusterId: ids.bicester })), 'FORBIDDEN', /lead of Bicester/);
		expect(await consultationsWritten()).toBe(before);
		expect((await workspacesToOpen(db, actors.sencoMeadow)).length).toBe(0);
		expect((await workspacesToOpen(db, actors.lead)).map((w) => w.id)).toEqual([ids.banbury]);
		ids.consultation = (await openConsultation(db, actors.lead, input())).consultationId;
		ids.officerConsultation = (await openConsultation(db, actors.officer, input({ clusterId: ids.bicester, title: 'Core offer', label: 'formal', statutoryRoute: 'Section 27 review' }))).consultationId;
	});

	it('refuses a closing date before the minimum period, naming the field and the earliest date', async () => {
		const refusal = await expectRefusal(openConsultation(db, actors.lead, input({ closesOn: addCalendarDays(earliest, -1) })), 'BAD_REQUEST', /at least 30 working days/);
		expect(refusal.fieldErrors?.closesOn?.[0]).toMatch(/earliest closing date is/);
		const saturday = (() => {
			let day = addCalendarDays(earliest, 1);
			while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 6) day = addCalendarDays(day, 1);
			return day;
		})();
		await expectRefusal(openConsultation(db, actors.lead, input({ closesOn: saturday })), 'BAD_REQUEST', /working day/);
	});

	it('asks a formal consultation for its statutory route, and refuses bad input whole', async () => {
		const before = await consultationsWritten();
		const refusal = await expectRefusal(openConsultation(db, actors.officer, input({ label: 'formal' })), 'BAD_REQUEST');
		expect(Object.keys(refusal.fieldErrors ?? {})).toContain('statutoryRoute');
		await expectRefusal(openConsultation(db, actors.officer, input({ title: '' })), 'BAD_REQUEST');
		await expectRefusal(openConsultation(db, actors.officer, input({ body: 'x'.repeat(20_001) })), 'BAD_REQUEST');
		await expectRefusal(openConsultation(db, actors.officer, input({ link: 'javascript:alert(1)' })), 'BAD_REQUEST');
		await expectRefusal(openConsultation(db, actors.officer, input({ stage: 'vetoing' })), 'BAD_REQUEST');
		expect(await consultationsWritten()).toBe(before);
	});
});

describe('who reads it', () => {
	it('is the district’s group, the workspace and officers; never another district’s representative', async () => {
		await expectRefusal(consultationPage(db, actors.pcfOxford, ids.consultation), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(consultationPage(db, actors.outsider, ids.consultation), 'FORBIDDEN');
		for (const key of ['pcf', 'pcfLead', 'sencoMeadow', 'officer', 'lead']) expect((await consultationPage(db, actors[key], ids.consultation)).consultation.title).toBe('Draft Banbury cluster MOU');
		expect((await consultationsFor(db, actors.pcfOxford, null)).items).toEqual([]);
		expect((await consultationsFor(db, actors.pcf, null)).items.map((k) => k.id)).toEqual([ids.officerConsultation, ids.consultation]);
	});
});

describe('the forum’s advice on a consultation', () => {
	it('is drafted by the district’s group, watched by its choice and approved by its lead', async () => {
		const key = { consultationId: ids.consultation };
		await expectRefusal(savePosition(db, actors.pcfOxford, { ...key, version: 0, stance: 'object', summary: '' }), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(savePosition(db, actors.sencoMeadow, { ...key, version: 0, stance: 'support', summary: '' }), 'FORBIDDEN');
		await expectRefusal(savePosition(db, actors.pcf, { bidId: ids.bid, ...key, version: 0, stance: 'support', summary: '' }), 'BAD_REQUEST');
		await savePosition(db, actors.pcf, { ...key, version: 0, stance: 'support_with_conditions', summary: 'We support the MOU if families are told who to ask.' });
		ids.cPointA = (await addPoint(db, actors.pcf, { ...key, body: 'Name one contact for families in each setting.', themeIds: [ids.communication] })).pointId;
		ids.cPointB = (await addPoint(db, actors.pcf, { ...key, body: 'Say how transport is shared between settings.', themeIds: [ids.transport] })).pointId;
		ids.cFeedback = (await addFeedback(db, actors.officer, { ...key, source: 'send_connect', heardOn: TODAY, raisedCount: 12, body: 'Parents want the MOU in plain English.', themeIds: [] })).pointId;
		await setWatch(db, actors.pcf, { districtId: ids.district, ...key, watch: true });
		await expectRefusal(setWatch(db, actors.pcfOxford, { districtId: ids.oxford, ...key, watch: true }), 'BAD_REQUEST', /consultation is not in Oxford/);
		const { advice } = await consultationPage(db, actors.pcfLead, ids.consultation);
		expect(advice.can.approve).toBe(true);
		await expectRefusal(approvePosition(db, actors.pcf, { ...key, version: advice.position!.version, agreedOn: TODAY, agreedWhere: 'Group meeting' }), 'FORBIDDEN', /Only the lead/);
		await approvePosition(db, actors.pcfLead, { ...key, version: advice.position!.version, agreedOn: TODAY, agreedWhere: 'Group meeting' });
		expect((await consultationPage(db, actors.pcf, ids.consultation)).advice.position?.approved_by_name).toBe('Lena Lead-Rep');
	});

	it('is answered by the consultation’s owner or an officer: never a SENCO, never the point’s author', async () => {
		const answer = async (key: string, pointId: number, text: string) =>
			answerPoint(db, actors[key], { pointId, version: await versionOf('pcf_point', pointId), answer: 'partly', text, changeBy: '' });
		await expectRefusal(answer('sencoMeadow', ids.cPointA, 'No'), 'FORBIDDEN', /person who opened the consultation/);
		await expectRefusal(answer('pcf', ids.cPointA, 'My own'), 'FORBIDDEN', /You raised this point/);
		await expectRefusal(answer('headCastle', ids.cPointA, 'Not mine'), 'FORBIDDEN');
		await answer('lead', ids.cPointA, 'Each setting’s SENCO is named in the MOU.');
		await answer('officer', ids.cPointB, 'Transport stays with the county; the MOU says so.');
		await answer('lead', ids.cFeedback, 'A plain-English summary is attached.');
		// Answering at once with an old version: one wins, the other is told.
		await expectRefusal(answerPoint(db, actors.officer, { pointId: ids.cPointA, version: 0, answer: 'not_changed', text: 'Late', changeBy: '' }), 'CONFLICT');
		// A SENCO of the workspace cannot publish them; the owner can.
		await expectRefusal(publishAnswers(db, actors.sencoMeadow, { consultationId: ids.consultation }), 'FORBIDDEN');
		expect(await publishAnswers(db, actors.lead, { consultationId: ids.consultation })).toEqual({ published: 3 });
	});

	it('reaches the public page only after both checks, without a name', async () => {
		const check = async (key: string, as: 'officer' | 'lead') => checkPoint(db, actors[key], { pointId: ids.cPointA, version: await versionOf('pcf_point', ids.cPointA), as });
		await expectRefusal(check('lead', 'officer'), 'FORBIDDEN');
		expect(await check('officer', 'officer')).toEqual({ published: false });
		expect((await publicPoints(db, { districtId: ids.district, clusterId: null, themeId: null, status: null }, null)).points.map((p) => p.id)).not.toContain(ids.cPointA);
		expect(await check('pcfLead', 'lead')).toEqual({ published: true });
		const { points } = await publicPoints(db, { districtId: null, clusterId: ids.banbury, themeId: null, status: null }, null);
		const shown = points.find((p) => p.id === ids.cPointA)!;
		expect(shown.proposal).toBe('Draft Banbury cluster MOU');
		expect(shown.cluster).toBe('Banbury');
		expect(JSON.stringify(points)).not.toMatch(/Pat Parent|Lena|Lee Lead|Olive/);
	});
});

describe('closing and extending', () => {
	it('is for its owner or an officer, to a later allowed date, with a reason on the timeline', async () => {
		const current = (await db.selectFrom('pcf_consultation').select('closes_on').where('id', '=', ids.consultation).executeTakeFirstOrThrow()).closes_on;
		let later = addCalendarDays(current, 7);
		while ([0, 6].includes(new Date(`${later}T12:00:00Z`).getUTCDay())) later = addCalendarDays(later, 1);
		const version = await versionOf('pcf_consultation', ids.consultation);
		await expectRefusal(extendConsultation(db, actors.sencoMeadow, { consultationId: ids.consultation, version, closesOn: later, reason: 'More time' }), 'FORBIDDEN', /person who opened the consultation/);
		await expectRefusal(extendConsultation(db, actors.pcf, { consultationId: ids.consultation, version, closesOn: later, reason: 'More time' }), 'FORBIDDEN');
		await expectRefusal(extendConsultation(db, actors.lead, { consultationId: ids.consultation, version, closesOn: current, reason: 'Same day' }), 'BAD_REQUEST', /must be after/);
		await expectRefusal(extendConsultation(db, actors.lead, { consultationId: ids.consultation, version, closesOn: later, reason: '' }), 'BAD_REQUEST');
		await extendConsultation(db, actors.lead, { consultationId: ids.consultation, version, closesOn: later, reason: 'Half term fell in the period' });
		// A second extension on the version the page showed before is told, not applied.
		await expectRefusal(extendConsultation(db, actors.officer, { consultationId: ids.consultation, version, closesOn: addCalendarDays(later, 7), reason: 'Again' }), 'CONFLICT');
		const { timeline, consultation } = await consultationPage(db, actors.pcf, ids.consultation);
		expect(consultation.closes_on).toBe(later);
		const extended = timeline.find((e) => e.action === 'pcf.consultation_extended')!;
		expect(extended).toMatchObject({ actorName: 'Lee Lead', reason: 'Half term fell in the period' });
		expect(timeline.some((e) => e.action === 'pcf.consultation_opened')).toBe(true);
	});

	it('closes with a reason; a closed consultation takes no new points and cannot be closed twice', async () => {
		const version = await versionOf('pcf_consultation', ids.consultation);
		await expectRefusal(closeConsultation(db, actors.headMeadow, { consultationId: ids.consultation, version, reason: 'Done' }), 'FORBIDDEN');
		await expectRefusal(closeConsultation(db, actors.lead, { consultationId: ids.consultation, version, reason: '   ' }), 'BAD_REQUEST');
		await closeConsultation(db, actors.officer, { consultationId: ids.consultation, version, reason: 'The MOU was signed early at the steering group' });
		await expectRefusal(closeConsultation(db, actors.officer, { consultationId: ids.consultation, version: version + 1, reason: 'Again' }), 'CONFLICT', /already been closed/);
		await expectRefusal(addPoint(db, actors.pcf, { consultationId: ids.consultation, body: 'Late point', themeIds: [] }), 'FORBIDDEN', /has closed/);
		const { consultation, timeline, can } = await consultationPage(db, actors.officer, ids.consultation);
		expect(consultation.status).toBe('closed');
		expect(can.manage).toBe(false);
		expect(timeline[0]).toMatchObject({ action: 'pcf.consultation_closed', actorName: 'Olive Officer', reason: 'The MOU was signed early at the steering group' });
	});
	it('takes no feedback sent while it is being closed: the feedback waits for the close, reads it closed and is refused', async () => {
		const consultationId = ids.officerConsultation;
		let closed!: () => void;
		let commit!: () => void;
		let holder = 0;
		const closing = db.transaction().execute(async (trx) => {
			holder = await backendPid(trx);
			await trx.updateTable('pcf_consultation').set({ status: 'closed', closed_at: sql`now()`, closed_by: ids.officer, version: sql`version + 1` }).where('id', '=', consultationId).execute();
			closed();
			await new Promise<void>((resolve) => (commit = resolve));
		});
		await new Promise<void>((resolve) => (closed = resolve));
		let settled = false;
		const feedback = addFeedback(db, actors.officer, { consultationId, source: 'survey', heardOn: TODAY, raisedCount: 4, body: 'Sent as it closed', themeIds: [] }).then(
			() => null,
			(error: unknown) => error
		);
		void feedback.finally(() => (settled = true));
		// Until the feedback is seen waiting on the consultation's row (or has finished without waiting, the bug this guards against).
		while (!settled && (await waitingFor(db, holder)) === 0);
		commit();
		await closing;
		const error = await feedback;
		expect(error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/has closed/) });
		expect(await db.selectFrom('pcf_point').select('id').where('body', '=', 'Sent as it closed').execute()).toHaveLength(0);
	});
});
