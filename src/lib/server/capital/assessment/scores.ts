import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Trx } from '../commands/shared';
import { assessmentOutcome, DEFAULT_SPREAD_WIDTH, type AssessmentOutcome } from '$lib/capital/assessment/scoring';

// Reading an application's scores: the round's frozen criteria, each assessor's latest set (a later
// set supersedes an earlier one; none is ever changed), the latest moderation per criterion, and
// the spread width (the line's in this round, else the round's). `recordResult` works the outcome
// out and keeps it for the ranking, inside the scoring write's transaction.

export interface ScoreSheet {
	width: number;
	criteria: { id: number; name: string; description: string; weight: number }[];
	/** Each assessor's latest set, in the order they first scored. */
	sets: { setId: number; assessorId: number; assessorName: string; at: Date; scores: Map<number, { score: number; justification: string }> }[];
	moderations: Map<number, { score: number; rationale: string; moderatorName: string; at: Date }>;
	outcome: AssessmentOutcome;
}

export async function scoreSheet(db: Database | Trx, application: { id: number; roundId: number; lineId: number }): Promise<ScoreSheet> {
	const [width, criteria, sets, scores, moderations] = await Promise.all([
		db
			.selectFrom('capital_round as r')
			.leftJoin('capital_round_line as rl', (j) => j.onRef('rl.round_id', '=', 'r.id').on('rl.line_id', '=', application.lineId))
			.select(sql<number>`coalesce(rl.spread_width, r.spread_width)`.as('width'))
			.where('r.id', '=', application.roundId)
			.executeTakeFirst(),
		db.selectFrom('capital_round_criterion').select(['id', 'name', 'description', 'weight']).where('round_id', '=', application.roundId).orderBy('position').execute(),
		db
			.selectFrom('capital_score_set as ss')
			.innerJoin('app_user as u', 'u.id', 'ss.assessor_id')
			.select(['ss.id', 'ss.assessor_id', 'u.name', 'ss.created_at'])
			.where('ss.application_id', '=', application.id)
			.where(({ not, exists, selectFrom }) =>
				not(exists(selectFrom('capital_score_set as later').select('later.id').whereRef('later.application_id', '=', 'ss.application_id').whereRef('later.assessor_id', '=', 'ss.assessor_id').whereRef('later.id', '>', 'ss.id')))
			)
			.orderBy('ss.id')
			.execute(),
		db
			.selectFrom('capital_score as s')
			.innerJoin('capital_score_set as ss', 'ss.id', 's.score_set_id')
			.select(['s.score_set_id', 's.criterion_id', 's.score', 's.justification'])
			.where('ss.application_id', '=', application.id)
			.execute(),
		db
			.selectFrom('capital_moderation as m')
			.innerJoin('app_user as u', 'u.id', 'm.moderator_id')
			.distinctOn('m.criterion_id')
			.select(['m.criterion_id', 'm.score', 'm.rationale', 'u.name', 'm.created_at'])
			.where('m.application_id', '=', application.id)
			.orderBy('m.criterion_id')
			.orderBy('m.id', 'desc')
			.execute()
	]);
	const sheetSets = sets.map((set) => ({
		setId: set.id,
		assessorId: set.assessor_id,
		assessorName: set.name,
		at: set.created_at,
		scores: new Map(scores.filter((s) => s.score_set_id === set.id).map((s) => [s.criterion_id, { score: s.score, justification: s.justification }]))
	}));
	const moderated = new Map(moderations.map((m) => [m.criterion_id, { score: m.score, rationale: m.rationale, moderatorName: m.name, at: m.created_at }]));
	const spreadWidth = width?.width ?? DEFAULT_SPREAD_WIDTH;
	const outcome = assessmentOutcome(
		criteria.map((c) => ({
			criterionId: c.id,
			weight: c.weight,
			scores: sheetSets.flatMap((set) => (set.scores.has(c.id) ? [set.scores.get(c.id)!.score] : [])),
			moderated: moderated.get(c.id)?.score ?? null
		})),
		spreadWidth
	);
	return { width: spreadWidth, criteria, sets: sheetSets, moderations: moderated, outcome };
}

/** Keeps the outcome for the ranking (one row per application, replaced by each scoring write). */
export async function recordResult(trx: Trx, application: { id: number; roundId: number }, sheet: ScoreSheet): Promise<void> {
	const row = {
		application_id: application.id,
		round_id: application.roundId,
		state: sheet.outcome.state,
		rank_score: sheet.outcome.totalHundredths ?? -1,
		scorers: sheet.sets.length,
		flagged: sql<number[]>`${sql.val(sheet.outcome.awaitingModeration)}::int[]`,
		updated_at: new Date()
	};
	await trx
		.insertInto('capital_assessment_result')
		.values(row)
		.onConflict((oc) => oc.column('application_id').doUpdateSet({ state: row.state, rank_score: row.rank_score, scorers: row.scorers, flagged: row.flagged, updated_at: row.updated_at }))
		.execute();
}
