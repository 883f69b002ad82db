import { can } from '../policy';
import { liveFeature, NOTHING_STALE } from '../live/registry';
import { PROGRAMME_ROOM_ID } from '$lib/capital/model';

/** The capital programme: one room for its set-up pages, joined by those who may see them. */
export const capitalLive = liveFeature({
	rooms: [
		{
			kind: 'capital',
			authorize: async (_db, actor, id) => {
				if (id !== PROGRAMME_ROOM_ID) return { allowed: false, reason: 'There is no such capital programme.' };
				return can(actor, { action: 'capital.view' });
			}
		}
	],
	events: {
		// Nothing is remembered on the server about the programme: pages refetch what they show.
		'capital.changed': () => NOTHING_STALE
	}
});
