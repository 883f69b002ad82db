import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { caseSettingSearchSchema, referralSchema } from '$lib/schemas/disputes';
import { caseSettingPicker, openCase, recordReferral } from '../../disputes';

/** District dispute-resolution panels: thin calls into the feature, which asks the policy and logs every look. */
export const disputesRouter = router({
	settings: signedInProcedure.input(caseSettingSearchSchema).query(({ ctx, input }) => caseSettingPicker(ctx.db, ctx.actor, input)),
	case: signedInProcedure.input(z.object({ caseId: idSchema() })).query(({ ctx, input }) => openCase(ctx.db, ctx.actor, input.caseId)),
	recordReferral: signedInProcedure.input(referralSchema).mutation(({ ctx, input }) => recordReferral(ctx.db, ctx.actor, input))
});
