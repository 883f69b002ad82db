import { z } from 'zod';
import { commandMutation, router, signedInProcedure } from '../procedures';
import {
	bidRefSchema,
	closeRoundSchema,
	confirmPledgeSchema,
	createBidSchema,
	decideSchema,
	endorseSchema,
	fundOrCloseSchema,
	milestoneUpdateSchema,
	openRoundSchema,
	partnerSchema,
	roundRefSchema,
	saveSectionSchema,
	submitBidSchema,
	withdrawBidSchema
} from '$lib/schemas/bids';
import { idSchema } from '$lib/schemas/common';
import { bidDetail, roundDetail, roundsForCluster } from '../../bids/queries';
import {
	addPartner,
	closeBid,
	closeRound,
	confirmPledge,
	createBid,
	decideBid,
	endorseBid,
	fundBid,
	openRound,
	removePartner,
	saveSection,
	submitBid,
	updateMilestone,
	withdrawBid
} from '../../bids/commands';
import { loadBidRef } from '../../bids/access';
import { assertCan } from '../../policy';
import { workspaceCluster } from '../../workspace/queries';
import { presenceWithNames } from '../../live/server';
import { bidRoom } from '$lib/live/rooms';

const mutation = commandMutation;

// Thin: zod input, then the feature module, which asks the policy.
export const bidsRouter = router({
	rounds: signedInProcedure.input(z.object({ clusterId: idSchema() })).query(async ({ ctx, input }) => {
		await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return roundsForCluster(ctx.db, input.clusterId);
	}),
	round: signedInProcedure.input(roundRefSchema).query(({ ctx, input }) => roundDetail(ctx.db, ctx.actor, input.roundId)),
	openRound: mutation(openRoundSchema, openRound),
	closeRound: mutation(closeRoundSchema, closeRound),

	get: signedInProcedure.input(bidRefSchema).query(({ ctx, input }) => bidDetail(ctx.db, ctx.actor, input.bidId)),
	create: mutation(createBidSchema, createBid),
	saveSection: mutation(saveSectionSchema, saveSection),
	addPartner: mutation(partnerSchema, addPartner),
	removePartner: mutation(partnerSchema, removePartner),
	confirmPledge: mutation(confirmPledgeSchema, confirmPledge),
	submit: mutation(submitBidSchema, submitBid),
	endorse: mutation(endorseSchema, endorseBid),
	decide: mutation(decideSchema, decideBid),
	fund: mutation(fundOrCloseSchema, fundBid),
	close: mutation(fundOrCloseSchema, closeBid),
	withdraw: mutation(withdrawBidSchema, withdrawBid),
	updateMilestone: mutation(milestoneUpdateSchema, updateMilestone),

	/** Who is in the bid now and which section each is working in. */
	presence: signedInProcedure.input(bidRefSchema).query(async ({ ctx, input }) => {
		assertCan(ctx.actor, { action: 'bid.view', bid: await loadBidRef(ctx.db, input.bidId) });
		return presenceWithNames(ctx.db, ctx.io, bidRoom(input.bidId), ctx.actor.id);
	})
});
