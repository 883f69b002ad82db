import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact } from '../../work';
import { conflict, invalid } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { clusterRoom } from '$lib/live/rooms';
import { approvalFits } from '$lib/bids/rules';
import { decideSchema, fundOrCloseSchema, withdrawBidSchema } from '$lib/schemas/bids';
import { formatPence } from '$lib/format';
import { councilOfficers, loadInvolvement, staffOf, writingSettings } from '../access';
import { bidLink, bumpVersion, lockBid, requireTransition } from './locks';
import { adviceOnBid, adviceConsideredProblem } from '../../pcf/advice-record';

// What officers decide about a bid (approve, decline, return; then funded and closed), and the lead's withdrawal.

export async function decideBid(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(decideSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.decide', bid: ref, involvement: await loadInvolvement(work.trx, ref.id, actor.id) });
		if (bid.version !== input.version) {
			throw conflict('The bid changed since you opened it, or another officer has just decided it. Check it again.');
		}
		if (bid.round_status === 'closed') throw invalid('This funding round is closed, so no more decisions can be made in it.');
		const to = requireTransition(bid, input.decision);
		// An approval or a decline says how the PCF advisory group's advice was considered, when there is any.
		const considered = input.decision === 'return' ? null : input.adviceConsidered || null;
		if (input.decision !== 'return') {
			const problem = adviceConsideredProblem(await adviceOnBid(work.trx, bid.id), input.adviceConsidered);
			if (problem) throw invalid(problem, { adviceConsidered: [problem] });
			if (considered) await work.trx.updateTable('bid').set({ pcf_advice_considered: considered }).where('id', '=', bid.id).execute();
		}
		const adviceWords = considered ? `. How the PCF advisory group’s advice was considered: ${considered}` : '';
		const writers = await staffOf(work.trx, writingSettings(ref));
		const { events } = await bumpVersion(work.trx, bid, null);
		const about = { subject: { type: 'bid', id: bid.id }, reason: input.reason, activity: { clusterId: bid.cluster_id, link: bidLink(bid.id) } };
		if (input.decision === 'approve') {
			if (input.amountPence > bid.requested_pence) {
				throw invalid(`You cannot approve more than the bid requests (${formatPence(bid.requested_pence)}).`, {
					amountPence: [`Approve ${formatPence(bid.requested_pence)} or less`]
				});
			}
			// The round row lock makes concurrent approvals take turns; the table's check
			// constraint would refuse an overspend even if this check were ever bypassed.
			const round = await work.trx
				.selectFrom('funding_round')
				.select(['id', 'pot_pence', 'approved_pence', 'version'])
				.where('id', '=', bid.round_id)
				.forUpdate()
				.executeTakeFirstOrThrow();
			if (!approvalFits(round.pot_pence, round.approved_pence, input.amountPence)) {
				const left = round.pot_pence - round.approved_pence;
				throw conflict(`Approving ${formatPence(input.amountPence)} would take the round over its pot: ${formatPence(left)} is left.`);
			}
			await work.trx
				.updateTable('funding_round')
				.set({ approved_pence: sql`approved_pence + ${input.amountPence}`, version: round.version + 1 })
				.where('id', '=', round.id)
				.execute();
			await work.trx
				.updateTable('bid')
				.set({ status: to, approved_pence: input.amountPence, conditions: input.conditions || null, decision_reason: input.reason })
				.where('id', '=', bid.id)
				.execute();
			const partial = input.amountPence < bid.requested_pence;
			await work.record({
				...about,
				action: 'bid.approved',
				summary: `approved the bid${partial ? ' in part' : ''}: ${formatPence(input.amountPence)}${adviceWords}`,
				activity: { ...about.activity, summary: `“${bid.title}” was approved${partial ? ' in part' : ''}: ${formatPence(input.amountPence)}` },
				detail: { amountPence: input.amountPence, requestedPence: bid.requested_pence, conditions: input.conditions, adviceConsidered: considered },
				notify: {
					userIds: writers,
					kind: 'bid.decided',
					title: `Approved: “${bid.title}”`,
					body: `${formatPence(input.amountPence)} approved${partial ? ` of ${formatPence(bid.requested_pence)} requested` : ''}.${input.conditions ? ` Conditions: ${input.conditions}` : ''}`,
					email: true
				},
				events: [{ room: clusterRoom(bid.cluster_id), kind: 'round.changed', payload: { roundId: round.id, version: round.version + 1 } }, ...events]
			});
		} else if (input.decision === 'decline') {
			await work.trx.updateTable('bid').set({ status: to, decision_reason: input.reason }).where('id', '=', bid.id).execute();
			await work.record({
				...about,
				action: 'bid.declined',
				summary: `declined the bid${adviceWords}`,
				detail: { adviceConsidered: considered },
				activity: { ...about.activity, summary: `“${bid.title}” was declined` },
				notify: { userIds: writers, kind: 'bid.decided', title: `Declined: “${bid.title}”`, body: `Reason: ${input.reason}`, email: true },
				events
			});
		} else {
			// Returned for changes: back to draft; this submission's endorsements lapse when it is resubmitted.
			await work.trx
				.updateTable('bid')
				.set({ status: to, officer_points: input.reason, lead_signed_by: null, lead_signed_at: null })
				.where('id', '=', bid.id)
				.execute();
			await work.record({
				...about,
				action: 'bid.returned',
				summary: 'returned the bid for changes',
				activity: { ...about.activity, summary: `“${bid.title}” was returned for changes` },
				notify: { userIds: writers, title: `Returned for changes: “${bid.title}”`, body: `The officer’s points: ${input.reason}`, email: true },
				events
			});
		}
	});
}

type Move = 'fund' | 'close' | 'withdraw';
const MOVE_WORDS: Record<Move, string> = { fund: 'marked as funded', close: 'closed', withdraw: 'withdrawn' };
/** The same step as the person who took it did it, read after their name on the bid's timeline. */
const MOVE_DONE: Record<Move, string> = { fund: 'marked the bid as funded', close: 'closed the bid', withdraw: 'withdrew the bid' };

/** Officer steps after approval, and the lead's withdrawal: one status change with a note. */
export async function moveBid(db: Database, actor: Actor, raw: unknown, move: Move): Promise<void> {
	const input = parseInput(move === 'withdraw' ? withdrawBidSchema : fundOrCloseSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(
			actor,
			move === 'withdraw'
				? { action: 'bid.withdraw', bid: ref }
				: { action: 'bid.decide', bid: ref, involvement: await loadInvolvement(work.trx, ref.id, actor.id) }
		);
		if (bid.version !== input.version) throw conflict('The bid changed since you opened it. Check it again.');
		const to = requireTransition(bid, move);
		await work.trx.updateTable('bid').set({ status: to }).where('id', '=', bid.id).execute();
		const { events } = await bumpVersion(work.trx, bid, null);
		const summary = `“${bid.title}” was ${MOVE_WORDS[move]}`;
		await work.record({
			action: `bid.${to}`,
			subject: { type: 'bid', id: bid.id },
			summary: MOVE_DONE[move],
			reason: input.reason || null,
			activity: { clusterId: bid.cluster_id, link: bidLink(bid.id), summary },
			notify: {
				userIds: move === 'withdraw' ? await councilOfficers(work.trx) : await staffOf(work.trx, writingSettings(ref)),
				title: summary,
				body: input.reason
			},
			events
		});
	});
}

export const fundBid = (db: Database, actor: Actor, raw: unknown) => moveBid(db, actor, raw, 'fund');
export const closeBid = (db: Database, actor: Actor, raw: unknown) => moveBid(db, actor, raw, 'close');
export const withdrawBid = (db: Database, actor: Actor, raw: unknown) => moveBid(db, actor, raw, 'withdraw');
