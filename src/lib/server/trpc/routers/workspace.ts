import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { childClusters, workspaceActivity, workspaceCluster, workspaceMembers, workspaceSettings } from '../../workspace/queries';
import { presentIn } from '../../live/server';
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
		if (!ctx.io) return [];
		const present = await presentIn(ctx.io, clusterRoom(input.clusterId));
		if (present.length === 0) return [];
		const names = await ctx.db
			.selectFrom('app_user')
			.select(['id', 'name'])
			.where(
				'id',
				'in',
				present.map((p) => p.userId)
			)
			.execute();
		const nameOf = new Map(names.map((n) => [n.id, n.name]));
		return present
			.map((p) => ({ userId: p.userId, name: nameOf.get(p.userId) ?? 'Someone', section: p.section, isYou: p.userId === ctx.actor.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
	})
});
