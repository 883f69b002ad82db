import { can } from '../policy';
import { liveFeature, NOTHING_STALE, type RoomKindRegistration } from '../live/registry';
import { loadProposal, type ProposalKey } from './proposals';
import type { RoomKind } from '$lib/live/events';
import '$lib/pcf/live';

/** A room per proposal, joined by whoever may read the proposal and the advice on it. */
const proposalRoom = (kind: RoomKind, keyOf: (id: number) => ProposalKey, missing: string): RoomKindRegistration => ({
	kind,
	authorize: async (db, actor, id) => {
		if (!actor) return { allowed: false, reason: 'You need to sign in first.' };
		const proposal = await loadProposal(db, keyOf(id)).catch(() => null);
		if (!proposal) return { allowed: false, reason: missing };
		return can(actor, { action: 'pcf.advice.view', proposal });
	}
});

/** A bid's advice goes to the bid's room; each consultation and each round advised on has a room, joined by whoever may read it. Nothing is remembered on the server. */
export const pcfLive = liveFeature({
	rooms: [
		proposalRoom('consultation', (consultationId) => ({ consultationId }), 'There is no such consultation.'),
		proposalRoom('pcfround', (roundId) => ({ roundId }), 'There is no such funding round.')
	],
	events: {
		'pcf.changed': () => NOTHING_STALE,
		'pcf.consultation.changed': () => NOTHING_STALE,
		'pcf.round.changed': () => NOTHING_STALE
	}
});
