import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
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
	closeRound,
	confirmPledge,
	createBid,
	decideBid,
	endorseBid,
	moveBid,
	openRound,
	removePartner,
	saveSection,
	submitBid,
	updateMilestone
} from '../../bids/commands';
import { loadBidRef, requireAllowed } from '../../bids/access';
import { workspaceCluster } from '../../workspace/queries';
import { presenceWithNames } from '../../live/server';
import { bidRoom } from '$lib/live/events';

// Thin: zod input, then the feature module, which asks the policy.
export const bidsRouter = router({
	rounds: signedInProcedure.input(z.object({ clusterId: idSchema() })).query(async ({ ctx, input }) => {
		await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return roundsForCluster(ctx.db, input.clusterId);
	}),
	round: signedInProcedure.input(roundRefSchema).query(({ ctx, input }) => roundDetail(ctx.db, ctx.actor, input.roundId)),
	openRound: signedInProcedure.input(openRoundSchema).mutation(({ ctx, input }) => openRound(ctx.db, ctx.actor, input)),
	closeRound: signedInProcedure.input(closeRoundSchema).mutation(({ ctx, input }) => closeRound(ctx.db, ctx.actor, input)),

	get: signedInProcedure.input(bidRefSchema).query(({ ctx, input }) => bidDetail(ctx.db, ctx.actor, input.bidId)),
	create: signedInProcedure.input(createBidSchema).mutation(({ ctx, input }) => createBid(ctx.db, ctx.actor, input)),
	saveSection: signedInProcedure.input(saveSectionSchema).mutation(({ ctx, input }) => saveSection(ctx.db, ctx.actor, input)),
	addPartner: signedInProcedure.input(partnerSchema).mutation(({ ctx, input }) => addPartner(ctx.db, ctx.actor, input)),
	removePartner: signedInProcedure.input(partnerSchema).mutation(({ ctx, input }) => removePartner(ctx.db, ctx.actor, input)),
	confirmPledge: signedInProcedure.input(confirmPledgeSchema).mutation(({ ctx, input }) => confirmPledge(ctx.db, ctx.actor, input)),
	submit: signedInProcedure.input(submitBidSchema).mutation(({ ctx, input }) => submitBid(ctx.db, ctx.actor, input)),
	endorse: signedInProcedure.input(endorseSchema).mutation(({ ctx, input }) => endorseBid(ctx.db, ctx.actor, input)),
	decide: signedInProcedure.input(decideSchema).mutation(({ ctx, input }) => decideBid(ctx.db, ctx.actor, input)),
	fund: signedInProcedure.input(fundOrCloseSchema).mutation(({ ctx, input }) => moveBid(ctx.db, ctx.actor, input, 'fund')),
	close: signedInProcedure.input(fundOrCloseSchema).mutation(({ ctx, input }) => moveBid(ctx.db, ctx.actor, input, 'close')),
	withdraw: signedInProcedure.input(withdrawBidSchema).mutation(({ ctx, input }) => moveBid(ctx.db, ctx.actor, input, 'withdraw')),
	updateMilestone: signedInProcedure
		.input(milestoneUpdateSchema)
		.mutation(({ ctx, input }) => updateMilestone(ctx.db, ctx.actor, input)),

	/** Who is in the bid now and which section each is working in. */
	presence: signedInProcedure.input(bidRefSchema).query(async ({ ctx, input }) => {
		const ref = await loadBidRef(ctx.db, input.bidId);
		requireAllowed(ctx.actor, { action: 'bid.view', bid: ref });
		return presenceWithNames(ctx.db, ctx.io, bidRoom(input.bidId), ctx.actor.id);
	})
});
