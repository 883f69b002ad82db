import type { Kysely } from 'kysely';
import type { DB } from '../db';

// What a decision on a proposal must know of the forum's advice: how many points it has (the
// forum's, once the lead approved its position, and families' aggregated feedback, on the bid or
// in a themed response across its round) and how many still wait for a published answer. Read by the bid decision command under the bid's lock.

export interface AdviceTally {
	points: number;
	unanswered: number;
}

export async function adviceOnBid(db: Kysely<DB>, bidId: number): Promise<AdviceTally> {
	const row = await db
		.selectFrom('pcf_point as p')
		.leftJoin('pcf_position as pos', 'pos.id', 'p.position_id')
		.select((eb) => [eb.fn.countAll<number>().as('points'), eb.fn.count<number>('p.id').filterWhere('p.answer_published_at', 'is', null).as('unanswered')])
		// The bid's own points, and the forum's themed response across the bid's round (a round is one workspace's, so one district's).
		.where((eb) => eb.or([eb('p.bid_id', '=', bidId), eb('p.round_id', '=', eb.selectFrom('bid').select('round_id').where('id', '=', bidId))]))
		.where((eb) => eb.or([eb('p.position_id', 'is', null), eb('pos.approved_at', 'is not', null)]))
		.executeTakeFirstOrThrow();
	return { points: Number(row.points), unanswered: Number(row.unanswered) };
}

/** The same for a consultation (a steering group decision item is one): the forum's approved points and families' feedback on it. */
export async function adviceOnConsultation(db: Kysely<DB>, consultationId: number): Promise<AdviceTally> {
	const row = await db
		.selectFrom('pcf_point as p')
		.leftJoin('pcf_position as pos', 'pos.id', 'p.position_id')
		.select((eb) => [eb.fn.countAll<number>().as('points'), eb.fn.count<number>('p.id').filterWhere('p.answer_published_at', 'is', null).as('unanswered')])
		.where('p.consultation_id', '=', consultationId)
		.where((eb) => eb.or([eb('p.position_id', 'is', null), eb('pos.approved_at', 'is not', null)]))
		.executeTakeFirstOrThrow();
	return { points: Number(row.points), unanswered: Number(row.unanswered) };
}

/** Why a decision cannot be recorded as it stands, or null: advice given must be said to have been considered. */
export function adviceConsideredProblem(tally: AdviceTally, considered: string): string | null {
	if (tally.points === 0 || considered.trim()) return null;
	const waiting = tally.unanswered ? ` ${tally.unanswered} of its ${tally.points} points ${tally.unanswered === 1 ? 'has' : 'have'} no published answer yet.` : '';
	return `Say how the PCF advisory group’s advice was considered.${waiting}`;
}
