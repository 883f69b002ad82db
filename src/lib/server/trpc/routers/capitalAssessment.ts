import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema, textSchema } from '$lib/schemas/common';
import { whole } from '$lib/schemas/bids';
import { assignAssessorSchema, declareSchema, decideSchema, moderateSchema, scoresSchema } from '$lib/schemas/capital-assessment';
import { cursorSchema } from '$lib/schemas/pages';
import { parseCursor } from '../../paging';
import {
	QUEUE_KEY,
	RANKING_KEY,
	assessmentForPage,
	assessQueue,
	assignAssessor,
	declareInterest,
	decideApplication,
	decisionsForPage,
	moderateScore,
	officerPicker,
	rankingPage,
	scoresForPage,
	submitScores
} from '../../capital/assessment';

// Capital assessment over the API: thin, each procedure one query or command, which asks the policy.
const id = whole(idSchema());
const cursor = z.object({ cursor: cursorSchema });

export const capitalAssessmentRouter = router({
	officers: signedInProcedure.input(z.object({ query: textSchema().max(100) })).query(({ ctx, input }) => officerPicker(ctx.db, ctx.actor, input.query)),
	queue: signedInProcedure.input(cursor).query(({ ctx, input }) => assessQueue(ctx.db, ctx.actor, parseCursor(input.cursor, QUEUE_KEY))),
	application: signedInProcedure.input(z.object({ applicationId: id })).query(({ ctx, input }) => assessmentForPage(ctx.db, ctx.actor, input.applicationId)),
	scores: signedInProcedure.input(z.object({ applicationId: id })).query(({ ctx, input }) => scoresForPage(ctx.db, ctx.actor, input.applicationId)),
	decisions: signedInProcedure.input(z.object({ applicationId: id })).query(({ ctx, input }) => decisionsForPage(ctx.db, ctx.actor, input.applicationId)),
	ranking: signedInProcedure.input(cursor.extend({ roundId: id })).query(({ ctx, input }) => rankingPage(ctx.db, ctx.actor, input.roundId, parseCursor(input.cursor, RANKING_KEY))),
	assign: signedInProcedure.input(assignAssessorSchema).mutation(({ ctx, input }) => assignAssessor(ctx.db, ctx.actor, input)),
	declare: signedInProcedure.input(declareSchema).mutation(({ ctx, input }) => declareInterest(ctx.db, ctx.actor, input)),
	score: signedInProcedure.input(scoresSchema).mutation(({ ctx, input }) => submitScores(ctx.db, ctx.actor, input)),
	moderate: signedInProcedure.input(moderateSchema).mutation(({ ctx, input }) => moderateScore(ctx.db, ctx.actor, input)),
	decide: signedInProcedure.input(decideSchema).mutation(({ ctx, input }) => decideApplication(ctx.db, ctx.actor, input))
});
