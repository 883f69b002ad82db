import { allowedProcedure, router } from '../procedures';
import { parseCursor } from '../../paging';
import { cursorSchema, pageInput } from '$lib/schemas/pages';
import { DISTRICT_KEY } from '../../workspace/queries';
import {
	clusterHistory,
	countyTree,
	HISTORY_KEY,
	createLocality,
	mergeLocalities,
	moveSetting,
	renameCluster,
	retireLocality,
	setLeadRounds
} from '../../clusters';
import {
	clusterIdSchema,
	createLocalitySchema,
	leadRoundsSchema,
	mergeLocalitiesSchema,
	moveSettingSchema,
	renameClusterSchema,
	retireLocalitySchema
} from '$lib/schemas/clusters';

/** County set-up: every procedure asks the policy for 'clusters.manage'; the commands parse their own input again. */
const manageProcedure = allowedProcedure({ action: 'clusters.manage' });

export const clustersRouter = router({
	tree: manageProcedure
		.input(pageInput)
		.query(({ ctx, input }) => countyTree(ctx.db, parseCursor(input?.cursor, DISTRICT_KEY))),
	history: manageProcedure
		.input(clusterIdSchema.extend({ cursor: cursorSchema }))
		.query(({ ctx, input }) => clusterHistory(ctx.db, input.clusterId, parseCursor(input.cursor, HISTORY_KEY))),
	createLocality: manageProcedure.input(createLocalitySchema).mutation(({ ctx, input }) => createLocality(ctx.db, ctx.actor, input)),
	rename: manageProcedure.input(renameClusterSchema).mutation(({ ctx, input }) => renameCluster(ctx.db, ctx.actor, input)),
	merge: manageProcedure.input(mergeLocalitiesSchema).mutation(({ ctx, input }) => mergeLocalities(ctx.db, ctx.actor, input)),
	retire: manageProcedure.input(retireLocalitySchema).mutation(({ ctx, input }) => retireLocality(ctx.db, ctx.actor, input)),
	moveSetting: manageProcedure.input(moveSettingSchema).mutation(({ ctx, input }) => moveSetting(ctx.db, ctx.actor, input)),
	setLeadRounds: manageProcedure.input(leadRoundsSchema).mutation(({ ctx, input }) => setLeadRounds(ctx.db, ctx.actor, input))
});
