import { sql } from 'kysely';
import { hashPassword } from '../../src/lib/server/auth/password';
import { assessmentOutcome, DEFAULT_SPREAD_WIDTH } from '../../src/lib/capital/assessment/scoring';
import { addYears, ukToday } from '../../src/lib/dates';
import { DEMO_PASSWORD, DEMO_SETTINGS } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// Capital assessment's demo data: two assessor accounts (council officers, invented names); for
// the specialist scheme CAP-DEMO-SP1 (seeded by the pipeline step, when present) both assessors'
// scores with a spread that needs moderation; and a closed pilot round with CAP-DEMO-PILOT1, being
// assessed and not yet scored, so the tour can declare, score, moderate and decide from the start.
// Adds only what is missing.

export const DEMO_ASSESSORS = [
	{ email: 'assessor.one@portal.example', name: 'Grace Okafor' },
	{ email: 'assessor.two@portal.example', name: 'Tom Becker' }
] as const;
export const PILOT_ROUND = 'Specialist resource bases pilot 2025/26';
const PILOT_LINE = 'Specialist resource base in mainstream';

// Scores by criterion position, with justifications written for disclosure: the second assessor
// reads the space very differently, so "Space and deliverability" needs moderation.
const SP1_SCORES: [number, string][][] = [
	[
		[4, 'The district forecast shows 60 more children with autism needing a place by 2028; the base targets that need.'],
		[4, 'Two classrooms released by falling rolls, with a ground-floor sensory room; works need no planning consent.'],
		[3, 'Cost per place is close to the benchmark; the trust adds £40,000 of its own condition funding.'],
		[4, 'Outreach to four cluster primaries is planned, and PCF parents helped shape the admissions approach.']
	],
	[
		[4, 'Need is well evidenced from the council’s figures and the school’s own waiting list.'],
		[1, 'The rooms named are on the first floor without a lift; the access plan does not say how this is solved.'],
		[3, 'Close to the benchmark; the match funding is confirmed by the trust board.'],
		[3, 'Outreach is described, but the commitment of staff time to it is not costed.']
	]
];

async function assessorIds(trx: Trx): Promise<number[]> {
	const emails = DEMO_ASSESSORS.map((a) => a.email);
	const known = await trx.selectFrom('app_user').select('email').where('email', 'in', emails).execute();
	if (known.length < emails.length) {
		const passwordHash = await hashPassword(DEMO_PASSWORD);
		await trx
			.insertInto('app_user')
			.values(DEMO_ASSESSORS.filter((a) => !known.some((k) => k.email === a.email)).map((a) => ({ email: a.email, name: a.name, password_hash: passwordHash, county_role: 'officer' as const })))
			.execute();
	}
	const rows = await trx.selectFrom('app_user').select(['id', 'email']).where('email', 'in', emails).execute();
	return DEMO_ASSESSORS.map((a) => rows.find((r) => r.email === a.email)!.id);
}

async function assign(trx: Trx, application: { round_id: number; line_id: number }, userIds: number[], by: number) {
	await trx
		.insertInto('capital_assessor')
		.values(userIds.map((user_id) => ({ round_id: application.round_id, line_id: application.line_id, user_id, assigned_by: by })))
		.onConflict((oc) => oc.doNothing())
		.execute();
}

/** The pilot round (closed, criteria frozen) and CAP-DEMO-PILOT1 in it, being assessed. */
async function seedPilot(trx: Trx, people: SeededPeople, assessors: number[]): Promise<void> {
	const line = await trx.selectFrom('capital_line').select('id').where('name', '=', PILOT_LINE).executeTakeFirst();
	const setting = await trx.selectFrom('setting').select(['id', 'cluster_id']).where('name', '=', DEMO_SETTINGS.banburySecondary).executeTakeFirst();
	if (!line || !setting) return;
	const exists = await trx.selectFrom('capital_application').select('id').where('reference', '=', 'CAP-DEMO-PILOT1').executeTakeFirst();
	if (exists) return;
	const district = await trx.selectFrom('cluster').select(sql<number>`coalesce(parent_id, id)`.as('id')).where('id', '=', setting.cluster_id).executeTakeFirstOrThrow();
	const officerId = people.demoUserId('officer');
	const round = await trx.insertInto('capital_round').values({ name: PILOT_ROUND, closes_on: addYears(ukToday(), -1) }).returning('id').executeTakeFirstOrThrow();
	await trx.insertInto('capital_round_line').values({ round_id: round.id, line_id: line.id }).execute();
	await trx
		.insertInto('capital_round_criterion')
		.values([
			{ round_id: round.id, position: 0, name: 'Need in the area', description: 'How the base meets need in the district, against the council’s forecast.', weight: 40 },
			{ round_id: round.id, position: 1, name: 'Space and deliverability', description: 'Suitable space, adaptations and a realistic opening term.', weight: 35 },
			{ round_id: round.id, position: 2, name: 'Value for money', description: 'Cost per place against the benchmark.', weight: 25 }
		])
		.execute();
	await trx.updateTable('capital_round').set({ status: 'closed', opened_at: sql`now() - interval '1 year'`, closed_at: sql`now()` }).where('id', '=', round.id).execute();
	const application = await trx
		.insertInto('capital_application')
		.values({
			reference: 'CAP-DEMO-PILOT1',
			round_id: round.id,
			line_id: line.id,
			setting_id: setting.id,
			district_id: district.id,
			stage: 'in_assessment',
			title: 'A resource base for 16 pupils with communication and interaction needs',
			places: 16,
			requested_pence: 16 * 3_200_000,
			submission_no: 1,
			submitted_at: sql`now() - interval '30 days'`,
			created_by: officerId
		})
		.returning(['id', 'round_id', 'line_id'])
		.executeTakeFirstOrThrow();
	await assign(trx, application, assessors, officerId);
	await trx
		.insertInto('audit_log')
		.values([
			{ actor_id: officerId, action: 'capital.round_drafted', subject_type: 'capital_round', subject_id: round.id, reason: null, detail: JSON.stringify({ summary: `Drafted the round ${PILOT_ROUND}` }) },
			{ actor_id: officerId, action: 'capital.assessor_assigned', subject_type: 'capital_round', subject_id: round.id, reason: null, detail: JSON.stringify({ summary: `Assigned ${DEMO_ASSESSORS.map((a) => a.name).join(' and ')} to assess ${PILOT_LINE}` }) }
		])
		.execute();
}

/** Both assessors' scores on CAP-DEMO-SP1, with the spread that calls for moderation. */
async function seedSp1(trx: Trx, people: SeededPeople, assessors: number[]): Promise<void> {
	const application = await trx.selectFrom('capital_application').select(['id', 'round_id', 'line_id']).where('reference', '=', 'CAP-DEMO-SP1').executeTakeFirst();
	if (!application) return;
	const scored = await trx.selectFrom('capital_score_set').select('id').where('application_id', '=', application.id).limit(1).executeTakeFirst();
	if (scored) return;
	const criteria = await trx.selectFrom('capital_round_criterion').select(['id', 'weight']).where('round_id', '=', application.round_id).orderBy('position').execute();
	if (criteria.length === 0) return;
	await assign(trx, application, assessors, people.demoUserId('officer'));
	await trx.insertInto('capital_declaration').values(assessors.map((user_id) => ({ application_id: application.id, user_id, conflict: 'none' }))).onConflict((oc) => oc.doNothing()).execute();
	const scoreOf = (assessor: number, position: number) => SP1_SCORES[assessor][position % SP1_SCORES[assessor].length];
	for (const [index, assessorId] of assessors.entries()) {
		const set = await trx.insertInto('capital_score_set').values({ application_id: application.id, assessor_id: assessorId }).returning('id').executeTakeFirstOrThrow();
		await trx
			.insertInto('capital_score')
			.values(criteria.map((c, position) => ({ score_set_id: set.id, criterion_id: c.id, score: scoreOf(index, position)[0], justification: scoreOf(index, position)[1] })))
			.execute();
	}
	const outcome = assessmentOutcome(
		criteria.map((c, position) => ({ criterionId: c.id, weight: c.weight, scores: assessors.map((_, index) => scoreOf(index, position)[0]), moderated: null })),
		DEFAULT_SPREAD_WIDTH
	);
	await trx
		.insertInto('capital_assessment_result')
		.values({ application_id: application.id, round_id: application.round_id, state: outcome.state, rank_score: outcome.totalHundredths ?? -1, scorers: assessors.length, flagged: sql<number[]>`${sql.val(outcome.awaitingModeration)}::int[]` })
		.onConflict((oc) => oc.doNothing())
		.execute();
	await trx
		.insertInto('audit_log')
		.values(assessors.map((actor_id) => ({ actor_id, action: 'capital.scored', subject_type: 'capital_application', subject_id: application.id, reason: null, detail: JSON.stringify({ summary: 'Submitted scores for CAP-DEMO-SP1' }) })))
		.execute();
}

export async function seedCapitalAssessment(trx: Trx, people: SeededPeople): Promise<void> {
	const assessors = await assessorIds(trx);
	await seedPilot(trx, people, assessors);
	await seedSp1(trx, people, assessors);
}
