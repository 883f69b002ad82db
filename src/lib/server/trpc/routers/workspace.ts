import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { childClusters, workspaceActivity, workspaceCluster, workspaceMembers, workspaceSettings } from '../../workspace/queries';
import { presenceWithNames } from '../../live/server';
import { clusterRoom } from '$lib/live/events';

const clusterInput = z.object({ clusterId: z.number().int().positive() });

export const workspaceRouter = router({
	get: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		const cluster = await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return { cluster, localities: await childClusters(ctx.db, cluster.id) };
	}),
	members: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		const cluster = await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return workspaceMembers(ctx.db, cluster);
	}),
	settings: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return workspaceSettings(ctx.db, input.clusterId);
	}),
	activity: signedInProcedure
		.input(clusterInput.extend({ before: z.number().int().positive().optional() }))
		.query(async ({ ctx, input }) => {
			await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
			return workspaceActivity(ctx.db, input.clusterId, input.before);
		}),
	/** Who has this workspace open right now, on any app instance. */
	presence: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		await workspaceCluster(ctx.db, ctx.actor, input.clusterId);
		return presenceWithNames(ctx.db, ctx.io, clusterRoom(input.clusterId), ctx.actor.id);
	})
});
