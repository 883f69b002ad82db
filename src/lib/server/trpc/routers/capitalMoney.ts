import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { commitFundingSchema, decideTransferSchema, proposeTransferSchema, recordOccupancySchema, recordSpendSchema } from '$lib/schemas/capital-money';
import { MONEY_LIST_KEY, applicationFunding, commitFunding, decideTransfer, moneyOverview, proposeTransfer, recordOccupancy, recordSpend } from '../../capital/money';
import { cursorSchema } from '$lib/schemas/pages';
import { parseCursor } from '../../paging';
import { dashboardData, dashboardFiltersSchema } from '../../capital/dashboard';

// The capital programme's money and the sufficiency dashboard. Thin: each procedure is one call
// to the command or query the pages use, which asks the policy on the row it locks.
export const capitalMoneyRouter = router({
	funding: signedInProcedure.input(z.object({ applicationId: idSchema() })).query(({ ctx, input }) => applicationFunding(ctx.db, ctx.actor, input.applicationId)),
	overview: signedInProcedure
		.input(z.object({ cursor: cursorSchema }).optional())
		.query(({ ctx, input }) => moneyOverview(ctx.db, ctx.actor, parseCursor(input?.cursor, MONEY_LIST_KEY))),
	dashboard: signedInProcedure.input(dashboardFiltersSchema.optional()).query(({ ctx, input }) => dashboardData(ctx.db, ctx.actor, input ?? {})),
	commit: signedInProcedure.input(commitFundingSchema).mutation(({ ctx, input }) => commitFunding(ctx.db, ctx.actor, input)),
	proposeTransfer: signedInProcedure.input(proposeTransferSchema).mutation(({ ctx, input }) => proposeTransfer(ctx.db, ctx.actor, input)),
	decideTransfer: signedInProcedure.input(decideTransferSchema).mutation(({ ctx, input }) => decideTransfer(ctx.db, ctx.actor, input)),
	recordSpend: signedInProcedure.input(recordSpendSchema).mutation(({ ctx, input }) => recordSpend(ctx.db, ctx.actor, input)),
	recordOccupancy: signedInProcedure.input(recordOccupancySchema).mutation(({ ctx, input }) => recordOccupancy(ctx.db, ctx.actor, input))
});
