import { can } from '../policy';
import { liveFeature } from '../live/registry';

/** Workspaces: one room per cluster, its people shown to each other (no sections). */
export const clustersLive = liveFeature({
	rooms: [
		{
			kind: 'cluster',
			authorize: async (db, actor, clusterId) => {
				const cluster = await db.selectFrom('cluster').select(['id', 'name', 'kind']).where('id', '=', clusterId).executeTakeFirst();
				if (!cluster) return { allowed: false, reason: 'There is no such workspace.' };
				return can(actor, { action: 'workspace.view', cluster });
			},
			presence: { sections: {} }
		}
	],
	events: {
		// The feed is part of the room's workspace read model (the room is the feed's cluster: a
		// locality's activity is also told in its district's room).
		'activity.created': ({ room }) => ({ workspaces: [Number(room.slice(room.indexOf(':') + 1))] }),
		// A rename changes no one's access: only the workspaces showing the name are stale, and the
		// rename tells each of them (its own, its district's, its localities'). Names remembered with
		// sessions (the role lists) catch up within the sessions' backstop (session-cache.ts). Moves, merges and retirements
		// change parents and who may open a workspace: everything is forgotten.
		'cluster.changed': ({ payload }) => (payload.renamed ? { workspaces: [payload.clusterId] } : { workspaces: 'all', sessionsOf: 'all' }),
		// Members are cached with the workspace. Memberships are remembered with each person's
		// session: the command tells `access.changed` to the people whose access changed, so only
		// theirs are forgotten.
		'membership.changed': ({ payload }) => ({ workspaces: [payload.clusterId] })
	}
});
