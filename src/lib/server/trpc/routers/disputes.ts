import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { caseSettingSearchSchema, referralSchema } from '$lib/schemas/disputes';
import { periodsSchema, termRemovalSchema, termSchema } from '$lib/schemas/disputes-settings';
import { addDisputeTerm, caseSettingPicker, districtSettingsView, openCase, openPapers, recordReferral, removeDisputeTerm, saveDisputePeriods } from '../../disputes';

/**
 * District dispute-resolution panels: thin calls into the feature, which asks the policy and logs
 * every look (a case's papers here land in its access log exactly as the page's do). The district
 * settings procedures are the settings page's forms, the same commands and the same rules.
 */
export const disputesRouter = router({
	settings: signedInProcedure.input(caseSettingSearchSchema).query(({ ctx, input }) => caseSettingPicker(ctx.db, ctx.actor, input)),
	case: signedInProcedure.input(z.object({ caseId: idSchema() })).query(({ ctx, input }) => openCase(ctx.db, ctx.actor, input.caseId)),
	recordReferral: signedInProcedure.input(referralSchema).mutation(({ ctx, input }) => recordReferral(ctx.db, ctx.actor, input)),
	papers: signedInProcedure.input(z.object({ caseId: idSchema() })).query(({ ctx, input }) => openPapers(ctx.db, ctx.actor, input.caseId)),
	districtSettings: signedInProcedure.input(z.object({ districtId: idSchema() })).query(({ ctx, input }) => districtSettingsView(ctx.db, ctx.actor, input.districtId)),
	savePeriods: signedInProcedure.input(periodsSchema).mutation(({ ctx, input }) => saveDisputePeriods(ctx.db, ctx.actor, input)),
	addTerm: signedInProcedure.input(termSchema).mutation(({ ctx, input }) => addDisputeTerm(ctx.db, ctx.actor, input)),
	removeTerm: signedInProcedure.input(termRemovalSchema).mutation(({ ctx, input }) => removeDisputeTerm(ctx.db, ctx.actor, input))
});
