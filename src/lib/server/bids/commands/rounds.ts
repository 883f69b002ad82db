import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact } from '../../work';
import { conflict, invalid, notFound } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { clusterRoom } from '$lib/live/rooms';
import { closeRoundSchema, openRoundSchema } from '$lib/schemas/bids';
import { formatDate, formatPence } from '$lib/format';
import { ukDayEnd, ukDayStart } from '$lib/dates';
import { lockRound, roundLink } from './locks';

// Opening and closing funding rounds.

export async function openRound(db: Database, actor: Actor, raw: unknown): Promise<number> {
	const input = parseInput(openRoundSchema, raw);
	return transact(db, actor.id, async (work) => {
		// Held until commit, so a merge or retirement (which locks the cluster FOR UPDATE) cannot retire it under a new round.
		const cluster = await work.trx
			.selectFrom('cluster')
			.select(['id', 'name', 'kind', 'status', 'leads_may_open_rounds'])
			.where('id', '=', input.clusterId)
			.forShare()
			.executeTakeFirst();
		if (!cluster) throw notFound('That cluster');
		assertCan(actor, { action: 'round.open', cluster: { ...cluster, leadsMayOpenRounds: cluster.leads_may_open_rounds } });
		const { id } = await work.trx
			.insertInto('funding_round')
			.values({
				cluster_id: cluster.id,
				name: input.name,
				pot_pence: input.potPence,
				max_request_pence: input.maxRequestPence,
				opens_at: ukDayStart(input.opensOn),
				closes_at: ukDayEnd(input.closesOn),
				guidance: input.guidance,
				endorsement_rule: input.endorsementRule,
				endorsement_value: input.endorsementValue,
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'round.opened',
			subject: { type: 'funding_round', id },
			summary: `Funding round “${input.name}” opened: pot ${formatPence(input.potPence)}, closing ${formatDate(`${input.closesOn}T12:00:00Z`)}`,
			detail: { potPence: input.potPence, maxRequestPence: input.maxRequestPence, closesOn: input.closesOn },
			activity: { clusterId: cluster.id, link: roundLink(id) },
			events: [{ room: clusterRoom(cluster.id), kind: 'round.changed', payload: { roundId: id, version: 1 } }]
		});
		return id;
	});
}

export async function closeRound(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(closeRoundSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { round, ref } = await lockRound(work.trx, input.roundId, 'update');
		assertCan(actor, { action: 'round.manage', round: ref });
		if (round.version !== input.version) throw conflict('Someone else changed this round just now. Check it and try again.');
		if (round.status === 'closed') throw invalid('This round is already closed.');
		await work.trx
			.updateTable('funding_round')
			.set({ status: 'closed', version: round.version + 1 })
			.where('id', '=', round.id)
			.execute();
		await work.record({
			action: 'round.closed',
			subject: { type: 'funding_round', id: round.id },
			summary: `Funding round “${round.name}” closed`,
			reason: input.reason,
			activity: { clusterId: round.cluster_id, link: roundLink(round.id) },
			events: [{ room: clusterRoom(round.cluster_id), kind: 'round.changed', payload: { roundId: round.id, version: round.version + 1 } }]
		});
	});
}
