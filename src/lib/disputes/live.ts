// The scheduling poll's room and event, as both ends see them. Who may join and what the event
// makes stale on the server: `$lib/server/disputes/live.ts`.
import type { RoomName } from '$lib/live/events';
import { roomName } from '$lib/live/rooms';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** A case's scheduling poll, followed by the district's SENDIASS officers (no presence). */
		dpoll: true;
	}
	interface LiveEventPayloads {
		/** Answers, conflicts or the booking on this poll changed: the ranking refetches. Ids only. */
		'disputes.poll.changed': { pollId: number };
	}
}

export const pollRoom = (pollId: number): RoomName => roomName('dpoll', pollId);
