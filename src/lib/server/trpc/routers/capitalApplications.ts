import { commandMutation, router, signedInProcedure } from '../procedures';
import {
	applicationRefSchema,
	askForInformationSchema,
	rolloutDecisionSchema,
	saveApplicationSectionSchema,
	signApplicationSchema,
	startApplicationSchema,
	submitApplicationSchema,
	withdrawApplicationSchema
} from '$lib/schemas/capital-applications';
import {
	applicationDetail,
	askForInformation,
	decideRollout,
	evidenceList,
	loadApplicationRef,
	saveApplicationSection,
	signApplication,
	startApplication,
	submitApplication,
	withdrawApplication
} from '../../capital/applications';
import { assertCan } from '../../policy';
import { notFound } from '../../errors';
import { presenceWithNames } from '../../live/server';
import { applicationRoom } from '$lib/capital/applications/live';

const mutation = commandMutation;

// Thin: zod input, then the same commands the form actions call, which ask the policy.
export const capitalApplicationsRouter = router({
	get: signedInProcedure.input(applicationRefSchema).query(({ ctx, input }) => applicationDetail(ctx.db, ctx.actor, input.applicationId)),
	files: signedInProcedure.input(applicationRefSchema).query(({ ctx, input }) => evidenceList(ctx.db, ctx.actor, input.applicationId)),
	start: mutation(startApplicationSchema, startApplication),
	saveSection: mutation(saveApplicationSectionSchema, saveApplicationSection),
	sign: mutation(signApplicationSchema, signApplication),
	submit: mutation(submitApplicationSchema, submitApplication),
	withdraw: mutation(withdrawApplicationSchema, withdrawApplication),
	askForInformation: mutation(askForInformationSchema, askForInformation),
	decideRollout: mutation(rolloutDecisionSchema, decideRollout),
	/** Who is in the application now and which section each is working in. */
	presence: signedInProcedure.input(applicationRefSchema).query(async ({ ctx, input }) => {
		const application = await loadApplicationRef(ctx.db, input.applicationId);
		if (!application) throw notFound('That application');
		assertCan(ctx.actor, { action: 'capital.application.view', application });
		return presenceWithNames(ctx.db, ctx.io, applicationRoom(input.applicationId), ctx.actor.id);
	})
});
