// The workspace (cluster) room and its events, as both ends see them. Who may join and what each
// event makes stale on the server: `$lib/server/clusters/live.ts`.
declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per workspace; people in it are shown to each other. */
		cluster: true;
	}
	interface LiveEventPayloads {
		'activity.created': { activityId: number; clusterId: number };
		/**
		 * The cluster was renamed, moved, merged or retired. `renamed`: only names changed (a rename),
		 * so nobody's access did and only the workspaces that show the name are stale.
		 */
		'cluster.changed': { clusterId: number; version: number; renamed?: true };
		/** Who is in the workspace changed (the people whose access changed are told by `access.changed`). */
		'membership.changed': { clusterId: number };
	}
}
export {};
