// The bid room and the bid and round events, as both ends see them. Who may join, presence
// sections and what each event makes stale on the server: `$lib/server/bids/live.ts`.
declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per bid being written; writers see who is in which section. */
		bid: true;
	}
	interface LiveEventPayloads {
		/** Published to the bid's room and its cluster's room. */
		'bid.changed': { bidId: number; roundId: number; version: number; section: string | null };
		/** A round's figures or state changed; published to its cluster's room. */
		'round.changed': { roundId: number; version: number };
	}
}
export {};
