import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact } from '../../work';
import { invalid, notFound } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { milestoneUpdateSchema } from '$lib/schemas/bids';
import { bidLink, bumpVersion, lockBid } from './locks';

// Progress on a funded bid's milestones, told by its writers.

export async function updateMilestone(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(milestoneUpdateSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.updateMilestone', bid: ref });
		if (bid.status !== 'funded') throw invalid('Milestone updates are for funded bids.');
		const milestone = await work.trx
			.selectFrom('bid_milestone')
			.select(['id', 'title'])
			.where('id', '=', input.milestoneId)
			.where('bid_id', '=', bid.id)
			.executeTakeFirst();
		if (!milestone) throw notFound('That milestone');
		await work.trx
			.updateTable('bid_milestone')
			.set({ progress: input.progress, progress_note: input.note, progress_updated_by: actor.id, progress_updated_at: new Date() })
			.where('id', '=', milestone.id)
			.execute();
		const { events } = await bumpVersion(work.trx, bid, 'milestones');
		await work.record({
			action: 'bid.milestone_updated',
			subject: { type: 'bid', id: bid.id },
			summary: `updated milestone “${milestone.title}”: ${input.progress.replace('_', ' ')}`,
			reason: input.note,
			detail: { milestoneId: milestone.id, progress: input.progress },
			activity: {
				clusterId: bid.cluster_id,
				link: bidLink(bid.id),
				summary: `Milestone “${milestone.title}” of “${bid.title}”: ${input.progress.replace('_', ' ')}`
			},
			events
		});
	});
}
