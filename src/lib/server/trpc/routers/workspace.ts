import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { childClusters, workspaceActivity, workspaceCluster, feedForReader, localitiesForReader } from '../../workspace/queries';
import { MEMBER_KEY, SETTING_KEY, workspaceMembers, workspaceSettings } from '../../workspace/lists';
import { parseCursor } from '../../paging';
import { cursorSchema } from '$lib/schemas/pages';
import { presenceWithNames } from '../../live/server';
import { clusterRoom } from '$lib/live/rooms';
import type { Context } from '../context';
import type { Actor } from '../../auth/actor';

const clusterInput = z.object({ clusterId: idSchema() });
/** A long list's page. */
const pagedInput = clusterInput.extend({ cursor: cursorSchema });

// A page asks for several workspace parts in one batched request; look the cluster up (and ask
// the policy) once per request rather than once per part.
const perRequest = new WeakMap<object, Map<number, ReturnType<typeof workspaceCluster>>>();
function clusterFor(ctx: Context & { actor: Actor }, clusterId: number) {
	let clusters = perRequest.get(ctx.event);
	if (!clusters) perRequest.set(ctx.event, (clusters = new Map()));
	let cluster = clusters.get(clusterId);
	if (!cluster) clusters.set(clusterId, (cluster = workspaceCluster(ctx.db, ctx.actor, clusterId)));
	return cluster;
}

export const workspaceRouter = router({
	get: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		const cluster = await clusterFor(ctx, input.clusterId);
		return { cluster, localities: localitiesForReader(ctx.actor, await childClusters(ctx.db, cluster.id)) };
	}),
	members: signedInProcedure.input(pagedInput).query(async ({ ctx, input }) => {
		const cluster = await clusterFor(ctx, input.clusterId);
		return workspaceMembers(ctx.db, cluster, parseCursor(input.cursor, MEMBER_KEY));
	}),
	settings: signedInProcedure.input(pagedInput).query(async ({ ctx, input }) => {
		await clusterFor(ctx, input.clusterId);
		return workspaceSettings(ctx.db, input.clusterId, parseCursor(input.cursor, SETTING_KEY));
	}),
	activity: signedInProcedure
		.input(clusterInput.extend({ before: idSchema().optional() }))
		.query(async ({ ctx, input }) => {
			await clusterFor(ctx, input.clusterId);
			return feedForReader(ctx.actor, await workspaceActivity(ctx.db, input.clusterId, input.before));
		}),
	/** Who has this workspace open right now, on any app instance. */
	presence: signedInProcedure.input(clusterInput).query(async ({ ctx, input }) => {
		await clusterFor(ctx, input.clusterId);
		return presenceWithNames(ctx.db, ctx.io, clusterRoom(input.clusterId), ctx.actor.id);
	})
});
