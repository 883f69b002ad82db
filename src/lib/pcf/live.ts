// PCF advice's live event, as both ends see it. It goes to the bid's own room (joined by those
// who may see the bid), carrying ids only; pages refetch what they may see.

declare module '$lib/live/events' {
	interface LiveEventPayloads {
		/** The forum's position, a point, an answer or a check on this bid changed. */
		'pcf.changed': { bidId: number; pointId: number | null };
	}
}

export {};
