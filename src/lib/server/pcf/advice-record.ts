import type { ExpressionBuilder, Expression, SqlBool, Kysely } from 'kysely';
import type { DB } from '../db';
import { invalid } from '../errors';

// What a decision on a proposal must know of the forum's advice: how many points it has (the
// forum's, once the lead approved its position, and families' aggregated feedback) and how many
// still wait for a published answer. A bid counts its own points and the themed response across
// its round; an inclusion-base application its own. Read by the decision commands under the
// proposal's lock, and by the decision forms for their warning.

export interface AdviceTally {
	points: number;
	unanswered: number;
}

type PointScope = (eb: ExpressionBuilder<DB & { p: DB['pcf_point'] }, 'p'>) => Expression<SqlBool>;

/** The one tally query: the points in `scope` that count as advice given, and those still unanswered. */
async function tallyOf(db: Kysely<DB>, scope: PointScope): Promise<AdviceTally> {
	const row = await db
		.selectFrom('pcf_point as p')
		.leftJoin('pcf_position as pos', 'pos.id', 'p.position_id')
		.select((eb) => [eb.fn.countAll<number>().as('points'), eb.fn.count<number>('p.id').filterWhere('p.answer_published_at', 'is', null).as('unanswered')])
		.where(scope)
		// Feedback points have no position; the forum's own count once its lead approved the position.
		.where((eb) => eb.or([eb('p.position_id', 'is', null), eb('pos.approved_at', 'is not', null)]))
		.executeTakeFirstOrThrow();
	return { points: Number(row.points), unanswered: Number(row.unanswered) };
}

export function adviceOnBid(db: Kysely<DB>, bidId: number): Promise<AdviceTally> {
	// The bid's own points, and the forum's themed response across the bid's round (a round is one workspace's, so one district's).
	return tallyOf(db, (eb) => eb.or([eb('p.bid_id', '=', bidId), eb('p.round_id', '=', eb.selectFrom('bid').select('round_id').where('id', '=', bidId))]));
}

/** The forum's advice on an inclusion-base application of any line (scheme, grant, rollout). */
export function adviceOnApplication(db: Kysely<DB>, applicationId: number): Promise<AdviceTally> {
	return tallyOf(db, (eb) => eb('p.capital_application_id', '=', applicationId));
}

/** The same for a consultation (a steering group decision item is one): the forum's approved points and families' feedback on it. */
export function adviceOnConsultation(db: Kysely<DB>, consultationId: number): Promise<AdviceTally> {
	return tallyOf(db, (eb) => eb('p.consultation_id', '=', consultationId));
}

/** Why a decision cannot be recorded as it stands, or null: advice given must be said to have been considered. */
export function adviceConsideredProblem(tally: AdviceTally, considered: string): string | null {
	if (tally.points === 0 || considered.trim()) return null;
	const waiting = tally.unanswered ? ` ${tally.unanswered} of its ${tally.points} points ${tally.unanswered === 1 ? 'has' : 'have'} no published answer yet.` : '';
	return `Say how the PCF advisory group’s advice was considered.${waiting}`;
}

/**
 * A decision on an inclusion-base application, under its row lock: refused with a field error when
 * the application has the forum's advice (an approved position's points, or families' feedback) and
 * the officer has not said how it was considered; otherwise the words to record (null when none).
 */
export async function adviceConsideredOnApplication(db: Kysely<DB>, applicationId: number, considered: string): Promise<string | null> {
	const problem = adviceConsideredProblem(await adviceOnApplication(db, applicationId), considered);
	if (problem) throw invalid(problem, { adviceConsidered: [problem] });
	return considered.trim() || null;
}

/** How the decision's timeline says the advice was considered (nothing when there was none to consider). */
export const adviceWords = (considered: string | null) => (considered ? `. How the PCF advisory group’s advice was considered: ${considered}` : '');
