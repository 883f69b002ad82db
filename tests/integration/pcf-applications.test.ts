import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { addFeedback, addPoint, addTheme, answerPoint, approvePosition, publishAnswers, savePosition, setGroup, setWatch } from '../../src/lib/server/pcf/commands';
import { adviceFor, groupPage } from '../../src/lib/server/pcf/queries';
import { adviceOnApplication } from '../../src/lib/server/pcf/advice-record';
import { loadGroup } from '../../src/lib/server/pcf/proposals';
import { decideApplication } from '../../src/lib/server/capital/assessment';
import { offerGrant } from '../../src/lib/server/capital/grant';
import { decideRollout } from '../../src/lib/server/capital/applications';
import { ukToday } from '../../src/lib/dates';
import type { ApplicationStage } from '../../src/lib/capital/flow';
import { moneyFixture, refused, type MoneyFixture } from './capital-money-fixture';

// The PCF advisory group's advice on inclusion-base applications of every line (scheme, early
// years grant, secondary rollout) against a real PostgreSQL: read by the district's group once
// submitted (never a draft), not by another district's representative; a position only from the
// group (never the applying setting's headteacher or SENCO); answered by the applying setting's
// staff or an officer, never by the point's own author; and every officer decision on an
// application with the forum's advice refused until it says how the advice was considered, then
// recorded with who, when and why on the application's timeline.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;
let scheme = 0;
const people: Record<'rep' | 'lead' | 'otherRep' | 'head' | 'senco' | 'headAndRep', Actor> = {} as never;
let theme = 0;
const TODAY = ukToday();

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
	scheme = (
		await db
			.insertInto('capital_line')
			.values({ name: 'Specialist unit, secondary', process: 'scheme', allocation_pence: 15_959_000_00, planned_places: 467, place_definition: 'A commissioned EHCP place' })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const person = async (name: string, roles: { setting?: { id: number; role: 'headteacher' | 'senco' }; repOf?: number }) => {
		const { id } = await db.insertInto('app_user').values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }).returning('id').executeTakeFirstOrThrow();
		if (roles.setting) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting.id, role: roles.setting.role }).execute();
		if (roles.repOf) await db.insertInto('cluster_role').values({ user_id: id, cluster_id: roles.repOf, role: 'pcf_rep' }).execute();
		return (await loadActor(db, id))!;
	};
	people.rep = await person('Pat Parent', { repOf: f.districts.cherwell });
	people.lead = await person('Lena Lead-Rep', { repOf: f.districts.cherwell });
	people.otherRep = await person('Wes West-Rep', { repOf: f.districts.west });
	people.head = await person('Hal Banbury-Head', { setting: { id: f.settings.cherwell, role: 'headteacher' } });
	people.senco = await person('Sue Banbury-Senco', { setting: { id: f.settings.cherwell, role: 'senco' } });
	// A parent governor: the setting's headteacher's deputy on the portal and a representative of the forum.
	people.headAndRep = await person('Gail Governor-Rep', { setting: { id: f.settings.cherwell, role: 'headteacher' }, repOf: f.districts.cherwell });
	const group = await loadGroup(db, f.districts.cherwell);
	await setGroup(db, f.officer, { districtId: f.districts.cherwell, version: group.version, leadUserId: people.lead.id, answerWithinDays: 20 });
	theme = (await addTheme(db, f.officer, { listVersion: 0, name: 'Travel to the base', description: '' })).id;
});

afterAll(async () => {
	await test?.close();
});

/** An application in Cherwell, at the stage a test needs, on a line of each process. */
const application = async (process: 'grant' | 'rollout' | 'scheme', stage: ApplicationStage) => {
	const id = await f.application({ line: process === 'rollout' ? 'secondary' : 'earlyYears', district: 'cherwell', stage, requestedPence: 9_500_00 });
	if (process === 'scheme') await db.updateTable('capital_application').set({ line_id: scheme }).where('id', '=', id).execute();
	return id;
};
const written = async () => Number((await sql<{ n: string }>`select (select count(*) from pcf_point) + (select count(*) from pcf_position) as n`.execute(db)).rows[0].n);
const versionOf = async (pointId: number) => (await db.selectFrom('pcf_point').select('version').where('id', '=', pointId).executeTakeFirstOrThrow()).version;
const applicationVersion = async (id: number) => (await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const stageOf = async (id: number) => (await db.selectFrom('capital_application').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;
const feedback = (applicationId: number) =>
	addFeedback(db, f.officer, { applicationId, source: 'survey', heardOn: TODAY, raisedCount: 12, body: 'Families ask how children will get to the base.', themeIds: [theme] });

describe('who may read and give the forum’s advice on an application', () => {
	it('a submitted application of every line is listed on the district group’s page and read by the group; drafts are not', async () => {
		const ids = { grant: await application('grant', 'submitted'), rollout: await application('rollout', 'in_assessment'), scheme: await application('scheme', 'recommended') };
		const draft = await application('grant', 'draft');
		const page = await groupPage(db, people.rep, f.districts.cherwell, { bids: null, rounds: null, applications: null });
		const listed = page.applications.items.map((a) => a.id);
		expect(listed).toEqual(expect.arrayContaining(Object.values(ids)));
		expect(listed).not.toContain(draft);
		for (const id of Object.values(ids)) expect((await adviceFor(db, people.rep, { applicationId: id })).proposal).toMatchObject({ kind: 'application', id, districtName: 'Cherwell' });
		await refused(adviceFor(db, people.rep, { applicationId: draft }), 'FORBIDDEN', /once it has been submitted/);
		await refused(savePosition(db, people.rep, { applicationId: draft, version: 0, stance: 'concerns', summary: '' }), 'FORBIDDEN', /once it has been submitted/);
	});

	it('is refused to another district’s representative and to the applying setting’s headteacher and SENCO giving a position, writing nothing', async () => {
		const id = await application('grant', 'submitted');
		const before = await written();
		await refused(adviceFor(db, people.otherRep, { applicationId: id }), 'FORBIDDEN', /Only the Cherwell PCF advisory group/);
		await refused(savePosition(db, people.otherRep, { applicationId: id, version: 0, stance: 'object', summary: '' }), 'FORBIDDEN', /Only the Cherwell PCF advisory group/);
		await refused(savePosition(db, people.head, { applicationId: id, version: 0, stance: 'support', summary: '' }), 'FORBIDDEN', /Only the Cherwell PCF advisory group/);
		await refused(savePosition(db, people.senco, { applicationId: id, version: 0, stance: 'support', summary: '' }), 'FORBIDDEN');
		await refused(addFeedback(db, people.otherRep, { applicationId: id, source: 'survey', heardOn: TODAY, raisedCount: 2, body: 'Not ours', themeIds: [] }), 'FORBIDDEN');
		expect(await written()).toBe(before);
		// The applying setting's staff read the advice on their own application.
		expect((await adviceFor(db, people.senco, { applicationId: id })).points).toEqual([]);
	});
});

describe('the group’s watch list holds applications', () => {
	const watched = async (id: number) => (await groupPage(db, people.rep, f.districts.cherwell, { bids: null, rounds: null, applications: null })).applications.items.find((a) => a.id === id)?.watched;

	it('a representative puts a submitted application on the watch list and takes it off, each on its timeline; twice is harmless', async () => {
		const id = await application('grant', 'submitted');
		expect(await watched(id)).toBe(false);
		await setWatch(db, people.rep, { districtId: f.districts.cherwell, applicationId: id, watch: true });
		await setWatch(db, people.rep, { districtId: f.districts.cherwell, applicationId: id, watch: true });
		expect(await watched(id)).toBe(true);
		expect(await db.selectFrom('pcf_watch').select('id').where('capital_application_id', '=', id).execute()).toHaveLength(1);
		await setWatch(db, people.rep, { districtId: f.districts.cherwell, applicationId: id, watch: false });
		expect(await watched(id)).toBe(false);
		const logged = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'capital_application').where('subject_id', '=', id).where('action', 'like', 'pcf.watch%').orderBy('id').execute();
		expect(logged.map((l) => l.action)).toEqual(['pcf.watch_added', 'pcf.watch_added', 'pcf.watch_removed']);
	});

	it('is refused for another district’s application, a draft, another district’s representative and the setting’s headteacher, writing nothing', async () => {
		const id = await application('grant', 'submitted');
		const draft = await application('grant', 'draft');
		const west = await f.application({ line: 'earlyYears', district: 'west', stage: 'submitted', requestedPence: 9_000_00 });
		const count = async () => (await db.selectFrom('pcf_watch').select('id').execute()).length;
		const before = await count();
		await refused(setWatch(db, people.rep, { districtId: f.districts.cherwell, applicationId: west, watch: true }), 'BAD_REQUEST', /not in Cherwell/);
		await refused(setWatch(db, people.rep, { districtId: f.districts.cherwell, applicationId: draft, watch: true }), 'FORBIDDEN', /once it has been submitted/);
		await refused(setWatch(db, people.otherRep, { districtId: f.districts.cherwell, applicationId: id, watch: true }), 'FORBIDDEN');
		await refused(setWatch(db, people.head, { districtId: f.districts.cherwell, applicationId: id, watch: true }), 'FORBIDDEN');
		await refused(setWatch(db, people.rep, { districtId: f.districts.cherwell, watch: true }), 'BAD_REQUEST');
		expect(await count()).toBe(before);
	});
});

describe('the forum’s advice on an application, from position to published answers', () => {
	let id = 0;
	let forumPoint = 0;
	let ownPoint = 0;

	it('the group drafts a position with themed points; the lead approves it; it is on the application’s timeline', async () => {
		id = await application('rollout', 'in_assessment');
		await savePosition(db, people.rep, { applicationId: id, version: 0, stance: 'support_with_conditions', summary: 'A base at Banbury is welcome if families can reach it.' });
		forumPoint = (await addPoint(db, people.rep, { applicationId: id, body: 'Say how children from the villages will travel to the base.', themeIds: [theme] })).pointId;
		ownPoint = (await addPoint(db, people.headAndRep, { applicationId: id, body: 'Tell families of the base’s opening before it opens.', themeIds: [] })).pointId;
		const row = await db.selectFrom('pcf_point').select(['capital_application_id', 'bid_id', 'district_id']).where('id', '=', forumPoint).executeTakeFirstOrThrow();
		expect(row).toEqual({ capital_application_id: id, bid_id: null, district_id: f.districts.cherwell });
		// Points of a position the lead has not approved are not yet the group's advice.
		expect(await adviceOnApplication(db, id)).toEqual({ points: 0, unanswered: 0 });
		const { position } = await adviceFor(db, people.rep, { applicationId: id });
		await refused(approvePosition(db, people.rep, { applicationId: id, version: position!.version, agreedOn: TODAY, agreedWhere: 'Meeting' }), 'FORBIDDEN', /Only the lead/);
		await approvePosition(db, people.lead, { applicationId: id, version: position!.version, agreedOn: TODAY, agreedWhere: 'Cherwell group meeting' });
		expect(await adviceOnApplication(db, id)).toEqual({ points: 2, unanswered: 2 });
		const history = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'capital_application').where('subject_id', '=', id).where('action', 'like', 'pcf.%').orderBy('id').execute();
		expect(history.map((h) => h.action)).toEqual(['pcf.position_drafted', 'pcf.position_approved']);
		// The applying setting's staff are told the group's position needs answers.
		const told = await db.selectFrom('notification').select(['user_id', 'link']).where('link', '=', `/pcf/applications/${id}`).execute();
		expect(told.map((n) => n.user_id)).toEqual(expect.arrayContaining([people.head.id, people.senco.id]));
	});

	it('is answered by the applying setting’s staff or an officer: never another district’s representative, and never the point’s own author', async () => {
		const answer = async (actor: Actor, pointId: number) => answerPoint(db, actor, { pointId, version: await versionOf(pointId), answer: 'will_change', text: 'A minibus runs from the villages.', changeBy: '2027-09-01' });
		await refused(answer(people.otherRep, forumPoint), 'FORBIDDEN', /Only staff of the setting that made the application, or a council officer/);
		await refused(answer(people.rep, forumPoint), 'FORBIDDEN', /You raised this point/);
		// The parent governor is the setting's headteacher too, yet may not answer their own point.
		await refused(answer(people.headAndRep, ownPoint), 'FORBIDDEN', /You raised this point/);
		await answer(people.senco, forumPoint);
		await answerPoint(db, f.officer, { pointId: ownPoint, version: await versionOf(ownPoint), answer: 'partly', text: 'The council writes to families a term ahead.', changeBy: '' });
		// Drafted answers are the answering side's until they are published together.
		const beforePublishing = await adviceFor(db, people.rep, { applicationId: id });
		expect(beforePublishing.points.map((p) => p.answer)).toEqual([null, null]);
		await refused(publishAnswers(db, people.rep, { applicationId: id }), 'FORBIDDEN');
		expect(await publishAnswers(db, people.head, { applicationId: id })).toEqual({ published: 2 });
		expect(await adviceOnApplication(db, id)).toEqual({ points: 2, unanswered: 0 });
		const after = await adviceFor(db, people.rep, { applicationId: id });
		expect(after.points.map((p) => p.answer)).toEqual(['will_change', 'partly']);
	});
});

describe('an officer’s decision on an application with the forum’s advice', () => {
	const considered = 'The group asked about travel; the base is approved on condition the minibus route is agreed first.';
	const audit = (id: number, action: string) =>
		db.selectFrom('audit_log').select(['actor_id', 'reason', 'detail', 'created_at']).where('subject_type', '=', 'capital_application').where('subject_id', '=', id).where('action', '=', action).execute();
	const kinds = {
		scheme: {
			stage: 'recommended' as const,
			action: 'capital.decision.endorse_at_board',
			decide: async (id: number, adviceConsidered?: string) =>
				decideApplication(db, f.officer, { applicationId: id, version: await applicationVersion(id), move: 'endorse_at_board', reason: 'The capital board endorsed it.', ...(adviceConsidered === undefined ? {} : { adviceConsidered }) })
		},
		grant: {
			stage: 'in_assessment' as const,
			action: 'capital.grant_offered',
			decide: async (id: number, adviceConsidered?: string) =>
				offerGrant(db, f.officer, {
					applicationId: id,
					version: await applicationVersion(id),
					amountPence: 9_000_00,
					sourceId: f.sources.tranche1,
					year: 2026,
					conditions: 'Spend it on the base.',
					reason: 'Assessed: meets the criteria',
					...(adviceConsidered === undefined ? {} : { adviceConsidered })
				})
		},
		rollout: {
			stage: 'in_assessment' as const,
			action: 'capital.rollout_approve',
			decide: async (id: number, adviceConsidered?: string) =>
				decideRollout(db, f.officer, { applicationId: id, move: 'approve', plannedYear: 2027, band: 'standard', reason: 'Ready for September 2027.', ...(adviceConsidered === undefined ? {} : { adviceConsidered }) })
		}
	};

	it.each(Object.keys(kinds) as (keyof typeof kinds)[])('a %s decision is refused without saying how the advice was considered, naming the unanswered points; nothing is decided', async (process) => {
		const kind = kinds[process];
		const id = await application(process, kind.stage);
		await feedback(id);
		const before = await applicationVersion(id);
		for (const blank of [undefined, '', '   ']) {
			const refusal = await refused(kind.decide(id, blank), 'BAD_REQUEST', /Say how the PCF advisory group’s advice was considered\. 1 of its 1 points has no published answer yet\./);
			expect(refusal.fieldErrors?.adviceConsidered?.[0]).toMatch(/Say how the PCF advisory group’s advice was considered/);
		}
		expect(await stageOf(id)).toBe(kind.stage);
		expect(await applicationVersion(id)).toBe(before);
		expect(await audit(id, kind.action)).toEqual([]);
	});

	it.each(Object.keys(kinds) as (keyof typeof kinds)[])('a %s decision saying how the advice was considered is recorded with who, when and why on the timeline', async (process) => {
		const kind = kinds[process];
		const id = await application(process, kind.stage);
		await feedback(id);
		await kind.decide(id, considered);
		expect(await stageOf(id)).not.toBe(kind.stage);
		const [entry] = await audit(id, kind.action);
		expect(entry.actor_id).toBe(f.officer.id);
		expect(entry.created_at).toBeInstanceOf(Date);
		// The timeline shows the summary as written: what was decided and how the advice was considered.
		expect(entry.detail.summary).toContain(`How the PCF advisory group’s advice was considered: ${considered}`);
		expect(entry.detail).toMatchObject({ adviceConsidered: considered });
	});

	it.each(Object.keys(kinds) as (keyof typeof kinds)[])('a %s decision on an application without the forum’s advice needs no such words', async (process) => {
		const kind = kinds[process];
		const id = await application(process, kind.stage);
		// A draft position's points are not yet the group's advice, so they do not count either.
		await savePosition(db, people.rep, { applicationId: id, version: 0, stance: 'concerns', summary: 'Still being discussed.' });
		await addPoint(db, people.rep, { applicationId: id, body: 'Not agreed by the group yet.', themeIds: [] });
		expect(await adviceOnApplication(db, id)).toEqual({ points: 0, unanswered: 0 });
		await kind.decide(id);
		expect(await stageOf(id)).not.toBe(kind.stage);
		const [entry] = await audit(id, kind.action);
		expect(entry.detail.summary).not.toContain('advice was considered');
	});

	it('a rollout school’s delivery and opening follow a decision made, so they ask for no such words', async () => {
		const id = await application('rollout', 'approved');
		await feedback(id);
		await decideRollout(db, f.officer, { applicationId: id, move: 'start_delivery', reason: 'Building work starts.' });
		expect(await stageOf(id)).toBe('in_delivery');
	});
});
