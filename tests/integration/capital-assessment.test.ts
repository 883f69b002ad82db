import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planOf, sequentialScans } from './plans';
import { seedCapitalAssessment } from '../../db/seed/capital-assessment';
import type { SeededPeople } from '../../db/seed/people';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError, type DomainErrorCode } from '../../src/lib/server/errors';
import {
	assessmentForPage,
	assessQueue,
	assignAssessor,
	declareInterest,
	decideApplication,
	decisionsForPage,
	moderateScore,
	officerPicker,
	rankingPage,
	rankingQuery,
	scoresForPage,
	setSpreadWidth,
	submitScores
} from '../../src/lib/server/capital/assessment';
import { assessmentPageRooms } from '../../src/lib/server/capital/assessment/live';
import { ROOM_KINDS } from '../../src/lib/server/live-features';
import { assessmentRoom } from '../../src/lib/capital/assessment/live';
import { applicationRoom } from '../../src/lib/capital/applications/live';

// Scoring with integrity against a real PostgreSQL: assessors declare before they see anything,
// a conflict removes them, scores are blind until one's own are in, append-only and in range, a
// spread beyond the width needs a moderator who did not score, and nobody decides on what they
// scored. Applications are inserted directly (the applications helper's commands create them).

let test: TestDatabase;
let db: Database;
const people: Record<string, Actor> = {};
const ids = { round: 0, line: 0, app: 0, other: 0, c1: 0, c2: 0, school: 0 };

async function person(key: string, name: string, countyRole: 'officer' | null): Promise<void> {
	const row = await db.insertInto('app_user').values({ name, email: `${key}@example.org`, county_role: countyRole }).returning('id').executeTakeFirstOrThrow();
	people[key] = (await loadActor(db, row.id))!;
}
const reload = async (key: string) => (people[key] = (await loadActor(db, people[key].id))!);

async function refused(call: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the command should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	return caught as DomainError;
}

const scores = (a: number, b: number, words = 'Evidence in the floor plan and costed plan') => ({
	applicationId: ids.app,
	scores: [
		{ criterionId: ids.c1, score: String(a), justification: words, name: 'Need' },
		{ criterionId: ids.c2, score: String(b), justification: words, name: 'Value' }
	]
});
const rowsIn = async (table: 'capital_score_set' | 'capital_moderation' | 'capital_decision' | 'capital_declaration') =>
	Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const locality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const otherDistrict = await db.insertInto('cluster').values({ kind: 'district', name: 'Oxford' }).returning('id').executeTakeFirstOrThrow();
	ids.school = (
		await db.insertInto('setting').values({ urn: '910001', name: 'Hill View Secondary', phase: 'secondary', setting_type: 'community secondary', town: 'Banbury', pupil_count: 900, cluster_id: locality.id }).returning('id').executeTakeFirstOrThrow()
	).id;
	await person('lead', 'Olive Officer', 'officer');
	await person('one', 'Ada Assessor', 'officer');
	await person('two', 'Ben Assessor', 'officer');
	await person('three', 'Cy Conflicted', 'officer');
	await person('moderator', 'Mo Moderator', 'officer');
	await person('head', 'Hana Head', null);
	await person('clusterLead', 'Cal Lead', null);
	await person('otherPcf', 'Pat Oxford', null);
	await db.insertInto('setting_membership').values({ user_id: people.head.id, setting_id: ids.school, role: 'headteacher' }).execute();
	await db.insertInto('cluster_role').values([
		{ user_id: people.clusterLead.id, cluster_id: locality.id, role: 'cluster_lead' },
		{ user_id: people.otherPcf.id, cluster_id: otherDistrict.id, role: 'pcf_rep' }
	]).execute();
	await reload('head');
	await reload('clusterLead');
	await reload('otherPcf');

	ids.line = (await db.insertInto('capital_line').values({ name: 'Specialist unit', process: 'scheme', benchmark_per_place_pence: 3_417_300 }).returning('id').executeTakeFirstOrThrow()).id;
	ids.round = (await db.insertInto('capital_round').values({ name: 'Specialist 2026/27', closes_on: '2027-01-31' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('capital_round_line').values({ round_id: ids.round, line_id: ids.line }).execute();
	const criteria = await db
		.insertInto('capital_round_criterion')
		.values([
			{ round_id: ids.round, position: 0, name: 'Need', weight: 60 },
			{ round_id: ids.round, position: 1, name: 'Value', weight: 40 }
		])
		.returning('id')
		.execute();
	[ids.c1, ids.c2] = criteria.map((c) => c.id);
	await db.updateTable('capital_round').set({ status: 'open' }).where('id', '=', ids.round).execute();
	const application = (reference: string, places: number) =>
		db
			.insertInto('capital_application')
			.values({ reference, round_id: ids.round, line_id: ids.line, setting_id: ids.school, district_id: district.id, stage: 'in_assessment', title: `Unit ${reference}`, places, requested_pence: places * 3_000_000, created_by: people.head.id })
			.returning('id')
			.executeTakeFirstOrThrow();
	ids.app = (await application('CAP-T1', 20)).id;
	ids.other = (await application('CAP-T2', 10)).id;
});

afterAll(async () => {
	await test?.close();
});

describe('assessors', () => {
	it('an officer finds officers by search and assigns them to a round’s line; assigning twice adds nothing', async () => {
		const found = await officerPicker(db, people.lead, 'assessor');
		expect(found.options.map((o) => o.label)).toEqual(['Ada Assessor', 'Ben Assessor']);
		expect((await officerPicker(db, people.lead, 'Hana')).options).toEqual([]);
		for (const key of ['one', 'two', 'three']) {
			expect(await assignAssessor(db, people.lead, { roundId: ids.round, lineId: ids.line, userId: people[key].id })).toMatchObject({ added: true });
		}
		expect(await assignAssessor(db, people.lead, { roundId: ids.round, lineId: ids.line, userId: people.one.id })).toMatchObject({ added: false });
		expect(Number((await sql<{ n: string }>`select count(*) as n from capital_assessor`.execute(db)).rows[0].n)).toBe(3);
	});

	it('only officers assign, and only officers may be assigned', async () => {
		await refused(assignAssessor(db, people.head, { roundId: ids.round, lineId: ids.line, userId: people.one.id }), 'FORBIDDEN');
		const notOfficer = await refused(assignAssessor(db, people.lead, { roundId: ids.round, lineId: ids.line, userId: people.head.id }), 'BAD_REQUEST');
		expect(notOfficer.fieldErrors?.userId?.[0]).toMatch(/only officers assess/);
		await refused(officerPicker(db, people.head, 'a'), 'FORBIDDEN');
	});

	it('the moderation width is editable by officers, with a version check', async () => {
		const round = await db.selectFrom('capital_round').select('version').where('id', '=', ids.round).executeTakeFirstOrThrow();
		await refused(setSpreadWidth(db, people.head, { roundId: ids.round, version: round.version, width: '1' }), 'FORBIDDEN');
		const range = await refused(setSpreadWidth(db, people.lead, { roundId: ids.round, version: round.version, width: '9' }), 'BAD_REQUEST');
		expect(range.fieldErrors?.width).toEqual(['The width must be from 0 to 5']);
		await setSpreadWidth(db, people.lead, { roundId: ids.round, version: round.version, width: '1' });
		await refused(setSpreadWidth(db, people.lead, { roundId: ids.round, version: round.version, width: '2' }), 'CONFLICT');
		await setSpreadWidth(db, people.lead, { roundId: ids.round, version: round.version + 1, width: '2' });
	});
});

describe('declarations and blind scoring', () => {
	it('before declaring, an assessor sees only the reference and the setting, and cannot score', async () => {
		const page = await assessmentForPage(db, people.one, ids.app);
		expect(page).toEqual({ mode: 'declare', application: { id: ids.app, reference: 'CAP-T1', settingName: 'Hill View Secondary' } });
		const early = await refused(submitScores(db, people.one, scores(4, 4)), 'FORBIDDEN');
		expect(early.message).toMatch(/Declare any conflict of interest first/);
		const queue = await assessQueue(db, people.one, null);
		expect(queue.items.map((r) => [r.reference, r.status])).toEqual([['CAP-T1', 'declare'], ['CAP-T2', 'declare']]);
	});

	it('an assessor with a declared conflict is removed: sees nothing, cannot score or see scores, and the conflict is recorded', async () => {
		const other = await refused(declareInterest(db, people.three, { applicationId: ids.app, conflict: 'other', details: '' }), 'BAD_REQUEST');
		expect(other.fieldErrors?.details).toEqual(['Say what the other interest is']);
		expect(await declareInterest(db, people.three, { applicationId: ids.app, conflict: 'governs' })).toEqual({ applicationId: ids.app, conflict: true });
		const page = await assessmentForPage(db, people.three, ids.app);
		expect(page.mode).toBe('conflict');
		expect(JSON.stringify(page)).not.toContain('Unit CAP-T1');
		expect((await refused(submitScores(db, people.three, scores(1, 1)), 'FORBIDDEN')).message).toMatch(/removed from assessing/);
		await refused(scoresForPage(db, people.three, ids.app), 'FORBIDDEN');
		await refused(declareInterest(db, people.three, { applicationId: ids.app, conflict: 'none' }), 'FORBIDDEN');
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'capital.conflict_declared').execute();
		expect(audit).toEqual([{ action: 'capital.conflict_declared', actor_id: people.three.id }]);
	});

	it('an officer not assigned to the line cannot declare or score', async () => {
		expect((await refused(declareInterest(db, people.moderator, { applicationId: ids.app, conflict: 'none' }), 'FORBIDDEN')).message).toMatch(/not an assessor/);
		await refused(declareInterest(db, people.head, { applicationId: ids.app, conflict: 'none' }), 'FORBIDDEN');
	});

	it('scores out of range or without a justification are refused field by field, and nothing is written', async () => {
		await declareInterest(db, people.one, { applicationId: ids.app, conflict: 'none' });
		await declareInterest(db, people.two, { applicationId: ids.app, conflict: 'none' });
		const bad = await refused(
			submitScores(db, people.one, {
				applicationId: ids.app,
				scores: [
					{ criterionId: ids.c1, score: '7', justification: 'Strong', name: 'Need' },
					{ criterionId: ids.c2, score: '3', justification: ' ', name: 'Value' }
				]
			}),
			'BAD_REQUEST'
		);
		expect(bad.fieldErrors?.['scores.0.score']).toEqual(['The score for Need must be from 0 to 5']);
		expect(bad.fieldErrors?.['scores.1.justification']).toEqual(['Write a justification for Value']);
		const missing = await refused(submitScores(db, people.one, { applicationId: ids.app, scores: [scores(1, 1).scores[0]] }), 'BAD_REQUEST');
		expect(missing.message).toMatch(/Score every criterion: Value/);
		expect(await rowsIn('capital_score_set')).toBe(0);
	});

	it('scoring is blind: before submitting, an assessor’s page holds no other assessor’s scores, and the scores page is refused', async () => {
		await submitScores(db, people.one, scores(5, 4));
		const before = await assessmentForPage(db, people.two, ids.app);
		expect(before.mode).toBe('score');
		if (before.mode !== 'score') return;
		expect(before.criteria.every((c) => c.scores.length === 0)).toBe(true);
		expect(JSON.stringify(before)).not.toContain('Ada Assessor');
		expect((await refused(scoresForPage(db, people.two, ids.app), 'FORBIDDEN')).message).toMatch(/Scoring is blind/);
		// Once submitted, they see both.
		await submitScores(db, people.two, scores(1, 4));
		const after = await assessmentForPage(db, people.two, ids.app);
		if (after.mode !== 'score') throw new Error('expected the scoring page');
		expect(after.criteria[0].scores.map((s) => [s.assessor, s.score])).toEqual([['Ada Assessor', 5], ['Ben Assessor', 1]]);
	});

	it('a double submit adds nothing; a changed score supersedes by a new row, never an update', async () => {
		expect(await submitScores(db, people.two, scores(1, 4))).toMatchObject({ added: false });
		expect(await rowsIn('capital_score_set')).toBe(2);
		expect(await submitScores(db, people.two, scores(2, 4, 'Revised after the site visit note'))).toMatchObject({ added: true });
		expect(await rowsIn('capital_score_set')).toBe(3);
		await expect(sql`update capital_score set score = 5`.execute(db)).rejects.toThrow(/append-only/);
	});
});

describe('moderation and decisions', () => {
	it('a spread beyond the width flags moderation; a recommendation is refused until it is moderated', async () => {
		const page = await scoresForPage(db, people.moderator, ids.app);
		expect(page.state).toBe('needs_moderation');
		expect(page.criteria[0]).toMatchObject({ spread: 3, flagged: true, settled: null });
		expect(page.criteria[1]).toMatchObject({ spread: 0, flagged: false, settled: 400 });
		const version = page.application.version;
		const refusedDecision = await refused(decideApplication(db, people.moderator, { applicationId: ids.app, version, move: 'recommend', reason: 'Strong need' }), 'BAD_REQUEST');
		expect(refusedDecision.fieldErrors?.move?.[0]).toMatch(/moderator must record the moderated score/);
		expect(await rowsIn('capital_decision')).toBe(0);
	});

	it('a scorer cannot moderate; a moderator who did not score records the moderated score and rationale', async () => {
		expect((await refused(moderateScore(db, people.one, { applicationId: ids.app, criterionId: ids.c1, score: '3', rationale: 'Middle' }), 'FORBIDDEN')).message).toMatch(/another officer who did not score it/);
		await refused(moderateScore(db, people.head, { applicationId: ids.app, criterionId: ids.c1, score: '3', rationale: 'Middle' }), 'FORBIDDEN');
		const range = await refused(moderateScore(db, people.moderator, { applicationId: ids.app, criterionId: ids.c1, score: '6', rationale: '' }), 'BAD_REQUEST');
		expect(Object.keys(range.fieldErrors ?? {}).sort()).toEqual(['rationale', 'score']);
		await moderateScore(db, people.moderator, { applicationId: ids.app, criterionId: ids.c1, score: '3', rationale: 'Need is evidenced, but the forecast is for the wider district' });
		const page = await scoresForPage(db, people.lead, ids.app);
		// 60 × 3/5 + 40 × 4/5 = 36 + 32
		expect(page).toMatchObject({ state: 'agreed', totalHundredths: 6800 });
		expect(page.criteria[0].moderation).toMatchObject({ score: 3, moderator: 'Mo Moderator' });
	});

	it('an applicant sees no scores before the decision; the district’s cluster lead sees decisions, another district’s PCF rep does not', async () => {
		expect((await refused(scoresForPage(db, people.head, ids.app), 'FORBIDDEN')).message).toMatch(/once a decision has been made/);
		await refused(scoresForPage(db, people.clusterLead, ids.app), 'FORBIDDEN');
		expect((await decisionsForPage(db, people.clusterLead, ids.app)).decisions).toEqual([]);
		await refused(decisionsForPage(db, people.otherPcf, ids.app), 'FORBIDDEN');
		await refused(rankingPage(db, people.head, ids.round, null), 'FORBIDDEN');
	});

	it('nobody decides on what they scored or moderated; another officer recommends, the boards decide, each recorded with who and why', async () => {
		const version = (await db.selectFrom('capital_application').select('version').where('id', '=', ids.app).executeTakeFirstOrThrow()).version;
		expect((await refused(decideApplication(db, people.one, { applicationId: ids.app, version, move: 'recommend', reason: 'Mine' }), 'FORBIDDEN')).message).toMatch(/You scored this application/);
		expect((await refused(decideApplication(db, people.moderator, { applicationId: ids.app, version, move: 'recommend', reason: 'Mine' }), 'FORBIDDEN')).message).toMatch(/You moderated/);
		expect((await refused(decideApplication(db, people.three, { applicationId: ids.app, version, move: 'recommend', reason: 'Mine' }), 'FORBIDDEN')).message).toMatch(/conflict of interest/);
		await refused(decideApplication(db, people.head, { applicationId: ids.app, version, move: 'recommend', reason: 'Ours' }), 'FORBIDDEN');
		const noReason = await refused(decideApplication(db, people.lead, { applicationId: ids.app, version, move: 'recommend', reason: '' }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toBeDefined();
		const skip = await refused(decideApplication(db, people.lead, { applicationId: ids.app, version, move: 'approve_in_principle', reason: 'Skip' }), 'BAD_REQUEST');
		expect(skip.message).toMatch(/not possible while the application is “being assessed”/);

		await decideApplication(db, people.lead, { applicationId: ids.app, version, move: 'recommend', reason: 'Highest moderated score' });
		await refused(decideApplication(db, people.lead, { applicationId: ids.app, version, move: 'recommend', reason: 'Again' }), 'CONFLICT');
		await decideApplication(db, people.lead, { applicationId: ids.app, version: version + 1, move: 'endorse_at_board', reason: 'North capital board, 3 March' });
		await decideApplication(db, people.lead, { applicationId: ids.app, version: version + 2, move: 'approve_in_principle', reason: 'Sufficiency Board, 10 March' });
		const page = await decisionsForPage(db, people.head, ids.app);
		expect(page.decisions.map((d) => [d.move, d.who, d.reason])).toEqual([
			['approve_in_principle', 'Olive Officer', 'Sufficiency Board, 10 March'],
			['endorse_at_board', 'Olive Officer', 'North capital board, 3 March'],
			['recommend', 'Olive Officer', 'Highest moderated score']
		]);
		expect(page.decisions[2].scoreHundredths).toBe(6800);
		const app = await db.selectFrom('capital_application').select(['stage', 'decided_at']).where('id', '=', ids.app).executeTakeFirstOrThrow();
		expect(app.stage).toBe('approved_in_principle');
		expect(app.decided_at).not.toBeNull();
	});

	it('after the decision the applicant sees the scores and feedback, without the assessors’ names', async () => {
		const page = await scoresForPage(db, people.head, ids.app);
		expect(page.totalHundredths).toBe(6800);
		expect(page.criteria[0].scores.map((s) => s.assessor)).toEqual(['Assessor 1', 'Assessor 2']);
		expect(JSON.stringify(page)).not.toContain('Ada Assessor');
		expect(page.history).toEqual([]);
	});

	it('the ranking lists scored applications best first, with value per place against the benchmark', async () => {
		await declareInterest(db, people.one, { applicationId: ids.other, conflict: 'none' });
		await submitScores(db, people.one, { ...scores(2, 2), applicationId: ids.other });
		const ranking = await rankingPage(db, people.lead, ids.round, null);
		expect(ranking.items.map((r) => [r.reference, r.totalHundredths, r.state])).toEqual([
			['CAP-T1', 6800, 'agreed'],
			['CAP-T2', null, 'scoring']
		]);
		expect(ranking.items[0]).toMatchObject({ perPlacePence: 3_000_000, benchmark: 'within' });
	});

	it('a page of the ranking walks the round’s index, not the tables', async () => {
		for (const cursor of [null, { direction: 'after' as const, key: [5000, -ids.app] }, { direction: 'before' as const, key: [5000, -ids.other] }]) {
			const plan = await planOf(db, rankingQuery(db, ids.round, cursor));
			expect(sequentialScans(plan, [...LARGE_TABLES, 'capital_assessment_result', 'capital_application'])).toEqual([]);
		}
	});

	it('the demo seed gives CAP-DEMO-SP1, when present, two assessors’ scores with a spread that needs moderation, once', async () => {
		const district = await db.selectFrom('capital_application').select('district_id').where('id', '=', ids.app).executeTakeFirstOrThrow();
		const sp1 = await db
			.insertInto('capital_application')
			.values({ reference: 'CAP-DEMO-SP1', round_id: ids.round, line_id: ids.line, setting_id: ids.school, district_id: district.district_id, stage: 'in_assessment', title: 'Demo', places: 12, requested_pence: 40_000_000, created_by: people.head.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		const demoPeople = { demoUserId: () => people.lead.id, userId: () => people.lead.id, users: 0 } as unknown as SeededPeople;
		await db.transaction().execute((trx) => seedCapitalAssessment(trx, demoPeople));
		await db.transaction().execute((trx) => seedCapitalAssessment(trx, demoPeople));
		const page = await scoresForPage(db, people.lead, sp1.id);
		expect(page.scorers).toBe(2);
		expect(page.state).toBe('needs_moderation');
		expect(page.criteria[1]).toMatchObject({ spread: 3, flagged: true });
		const result = await db.selectFrom('capital_assessment_result').select(['state', 'flagged']).where('application_id', '=', sp1.id).executeTakeFirstOrThrow();
		expect(result).toEqual({ state: 'needs_moderation', flagged: [ids.c2] });
	});
});

describe('following an assessment live', () => {
	const follow = (actor: Actor | null, applicationId = ids.app) => ROOM_KINDS.find((room) => room.kind === 'assessment')!.authorize(db, actor, applicationId);

	it('the officers who assess, moderate and decide may follow it; an assessor who declared a conflict, the applicant, district roles and anyone signed out may not', async () => {
		for (const key of ['one', 'two', 'moderator', 'lead']) expect(await follow(people[key]), key).toEqual({ allowed: true });
		expect(await follow(people.three)).toMatchObject({ allowed: false, reason: expect.stringMatching(/declared a conflict of interest/) });
		for (const key of ['head', 'clusterLead', 'otherPcf']) expect(await follow(people[key]), key).toMatchObject({ allowed: false, reason: expect.stringMatching(/Only council officers/) });
		expect(await follow(null)).toMatchObject({ allowed: false });
		expect(await follow(people.lead, 987654)).toEqual({ allowed: false, reason: 'There is no such application.' });
	});

	it('every declaration, score, moderation and decision tells the assessment’s room, naming only the application', async () => {
		const told = await db.selectFrom('live_event').select(['kind', 'payload']).where('room', '=', assessmentRoom(ids.app)).execute();
		const done = await db
			.selectFrom('audit_log')
			.select('action')
			.where('subject_type', '=', 'capital_application')
			.where('subject_id', '=', ids.app)
			.where((w) => w.or([w('action', 'in', ['capital.no_conflict_declared', 'capital.conflict_declared', 'capital.scored', 'capital.moderated']), w('action', 'like', 'capital.decision.%')]))
			.execute();
		expect(new Set(done.map((row) => row.action.replace(/^capital\.decision\..*/, 'decision')))).toEqual(new Set(['capital.no_conflict_declared', 'capital.conflict_declared', 'capital.scored', 'capital.moderated', 'decision']));
		expect(told).toHaveLength(done.length);
		expect(told.every((event) => event.kind === 'assessment.changed' && JSON.stringify(event.payload) === JSON.stringify({ applicationId: ids.app }))).toBe(true);
	});

	it('a page follows the assessment’s room only for those who may follow it, and the application’s for those who may read it', async () => {
		expect(Object.keys(await assessmentPageRooms(db, people.moderator, ids.app)).sort()).toEqual([applicationRoom(ids.app), assessmentRoom(ids.app)].sort());
		expect(Object.keys(await assessmentPageRooms(db, people.head, ids.app))).toEqual([applicationRoom(ids.app)]);
		expect(Object.keys(await assessmentPageRooms(db, people.three, ids.app))).not.toContain(assessmentRoom(ids.app));
		expect(await assessmentPageRooms(db, people.otherPcf, ids.app)).toEqual({});
	});
});
