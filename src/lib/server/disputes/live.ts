import { can } from '../policy';
import { liveFeature, NOTHING_STALE } from '../live/registry';
import '$lib/disputes/live';

/** A scheduling poll's room: its district's SENDIASS officers watch the ranking change as members answer. */
export const disputesLive = liveFeature({
	rooms: [
		{
			kind: 'dpoll',
			authorize: async (db, actor, id) => {
				const row = await db
					.selectFrom('dispute_poll as p')
					.innerJoin('dispute_case as c', 'c.id', 'p.case_id')
					.innerJoin('cluster as d', 'd.id', 'c.district_id')
					.select(['d.id', 'd.name'])
					.where('p.id', '=', id)
					.executeTakeFirst();
				if (!row) return { allowed: false, reason: 'There is no such meeting poll.' };
				return can(actor, { action: 'disputes.poll.run', district: row });
			}
		}
	],
	events: {
		// Nothing is remembered on the server about a poll: the page refetches its ranking.
		'disputes.poll.changed': () => NOTHING_STALE
	}
});
