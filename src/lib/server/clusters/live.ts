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
		// Renames, moves, merges and retirements: names and parents show in other workspaces, and
		// a retired or merged workspace changes who may open it.
		'cluster.changed': () => ({ workspaces: 'all', sessionsOf: 'all' }),
		// Members are cached with the workspace. Memberships are remembered with each person's
		// session: the command tells `access.changed` to the people whose access changed, so only
		// theirs are forgotten.
		'membership.changed': ({ payload }) => ({ workspaces: [payload.clusterId] })
	}
});
