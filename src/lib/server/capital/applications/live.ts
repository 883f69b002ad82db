import { can } from '../../policy';
import { liveFeature, NOTHING_STALE } from '../../live/registry';
import { APPLICATION_SECTIONS } from '$lib/capital/applications/document';
import { loadApplicationRef } from './access';

const SECTION_LABELS = Object.fromEntries(Object.entries(APPLICATION_SECTIONS).map(([id, spec]) => [id, spec.label]));

/** Applications being written: one room per application, writers shown by the section they are in. */
export const capitalApplicationsLive = liveFeature({
	rooms: [
		{
			kind: 'application',
			authorize: async (db, actor, id) => {
				const application = await loadApplicationRef(db, id);
				if (!application) return { allowed: false, reason: 'There is no such application.' };
				return can(actor, { action: 'capital.application.view', application });
			},
			presence: { sections: SECTION_LABELS }
		}
	],
	// Nothing about an application is remembered between requests: pages refetch what they show.
	events: { 'application.changed': () => NOTHING_STALE }
});
