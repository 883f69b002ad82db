import { commandMutation as mutation, router, signedInProcedure } from '../procedures';
import { applicationRefSchema } from '$lib/schemas/capital-applications';
import {
	addMilestoneSchema,
	completeMilestoneSchema,
	decideChangeSchema,
	eiaSchema,
	feasibilitySchema,
	issueAgreementSchema,
	reissueAgreementSchema,
	schemeMoveSchema,
	signAgreementSchema,
	statutoryStepSchema
} from '$lib/schemas/capital-scheme';
import { acceptGrantSchema, approveClaimSchema, endOfferSchema, offerGrantSchema } from '$lib/schemas/capital-grant';
import {
	addMilestone,
	completeMilestone,
	decideChange,
	issueAgreement,
	moveScheme,
	recordEia,
	recordFeasibility,
	recordStatutoryStep,
	reissueAgreement,
	schemePage,
	signAgreement
} from '../../capital/scheme';
import { acceptGrant, approveClaim, endOffer, grantPage, offerGrant } from '../../capital/grant';

// The stages after a decision, over the API: a scheme's feasibility, change control, statutory
// steps, equalities impact assessment, funding agreement and delivery; a grant's offer, acceptance
// and claim. Thin: zod input, then the same commands the stage pages' forms call, which lock the
// application and ask the policy. (A grant claim carries a file, so it is made on the page.)
export const capitalStagesRouter = router({
	scheme: signedInProcedure.input(applicationRefSchema).query(({ ctx, input }) => schemePage(ctx.db, ctx.actor, input.applicationId)),
	moveScheme: mutation(schemeMoveSchema, moveScheme),
	recordFeasibility: mutation(feasibilitySchema, recordFeasibility),
	decideChange: mutation(decideChangeSchema, decideChange),
	recordStatutoryStep: mutation(statutoryStepSchema, recordStatutoryStep),
	recordEia: mutation(eiaSchema, recordEia),
	issueAgreement: mutation(issueAgreementSchema, issueAgreement),
	reissueAgreement: mutation(reissueAgreementSchema, reissueAgreement),
	signAgreement: mutation(signAgreementSchema, signAgreement),
	addMilestone: mutation(addMilestoneSchema, addMilestone),
	completeMilestone: mutation(completeMilestoneSchema, completeMilestone),
	grant: signedInProcedure.input(applicationRefSchema).query(({ ctx, input }) => grantPage(ctx.db, ctx.actor, input.applicationId)),
	offerGrant: mutation(offerGrantSchema, offerGrant),
	acceptGrant: mutation(acceptGrantSchema, acceptGrant),
	approveClaim: mutation(approveClaimSchema, approveClaim),
	endOffer: mutation(endOfferSchema, endOffer)
});
