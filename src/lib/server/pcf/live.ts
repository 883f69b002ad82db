import { can } from '../policy';
import { liveFeature, NOTHING_STALE } from '../live/registry';
import { loadProposal } from './proposals';
import '$lib/pcf/live';

/** A bid's advice goes to the bid's room; each consultation and each round advised on has a room, joined by whoever may read it. Nothing is remembered on the server. */
export const pcfLive = liveFeature({
	rooms: [
		{
			kind: 'consultation',
			authorize: async (db, actor, consultationId) => {
				if (!actor) return { allowed: false, reason: 'You need to sign in first.' };
				const proposal = await loadProposal(db, { consultationId }).catch(() => null);
				if (!proposal) return { allowed: false, reason: 'There is no such consultation.' };
				return can(actor, { action: 'pcf.advice.view', proposal });
			}
		},
		{
			kind: 'pcfround',
			authorize: async (db, actor, roundId) => {
				if (!actor) return { allowed: false, reason: 'You need to sign in first.' };
				const proposal = await loadProposal(db, { roundId }).catch(() => null);
				if (!proposal) return { allowed: false, reason: 'There is no such funding round.' };
				return can(actor, { action: 'pcf.advice.view', proposal });
			}
		}
	],
	events: {
		'pcf.changed': () => NOTHING_STALE,
		'pcf.consultation.changed': () => NOTHING_STALE,
		'pcf.round.changed': () => NOTHING_STALE
	}
});
