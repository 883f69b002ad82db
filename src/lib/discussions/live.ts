// The discussion room and its event, as both ends see them. Who may join (whoever may see the
// discussion's subject): `$lib/server/discussions/live.ts`. The event carries ids only; pages refetch.
declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per discussion: its readers hear of new, edited and deleted comments. */
		discussion: true;
	}
	interface LiveEventPayloads {
		/** A comment was posted, edited or deleted in this discussion. */
		'discussion.changed': { discussionId: number; commentId: number };
	}
}
export {};
