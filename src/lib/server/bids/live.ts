import { can } from '../policy';
import { liveFeature, partOfRoom } from '../live/registry';
import { loadBidRef } from './access';
import { BID_SECTIONS } from '$lib/bids/model';

/** Bids being written: one room per bid, writers shown by the section they are in. */
export const bidsLive = liveFeature({
	rooms: [
		{
			kind: 'bid',
			authorize: async (db, actor, bidId) => {
				const bid = await loadBidRef(db, bidId).catch(() => null);
				if (!bid) return { allowed: false, reason: 'There is no such bid.' };
				return can(actor, { action: 'bid.view', bid });
			},
			presence: { sections: BID_SECTIONS }
		}
	],
	// A workspace remembers its rounds with their totals (`rounds:<clusterId>`): every change to a
	// bid or a round is told to the round's workspace room, and forgets that part only. Bids
	// themselves are never remembered: their pages refetch what they show.
	events: {
		'bid.changed': ({ room }) => partOfRoom(room, 'cluster', 'rounds'),
		'round.changed': ({ room }) => partOfRoom(room, 'cluster', 'rounds')
	}
});
