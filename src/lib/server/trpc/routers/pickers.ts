import { router, signedInProcedure } from '../procedures';
import { clusterSearchSchema, settingSearchSchema } from '$lib/schemas/pickers';
import { clusterPicker, settingPicker } from '../../pickers';

/** The search pickers' live suggestions. Each asks the policy for the scope it searches. */
export const pickersRouter = router({
	settings: signedInProcedure.input(settingSearchSchema).query(({ ctx, input }) => settingPicker(ctx.db, ctx.actor, input)),
	clusters: signedInProcedure.input(clusterSearchSchema).query(({ ctx, input }) => clusterPicker(ctx.db, ctx.actor, input))
});
