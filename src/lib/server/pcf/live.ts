import { can } from '../policy';
import { liveFeature, NOTHING_STALE, partOfRoom, type RoomKindRegistration } from '../live/registry';
import { loadProposal, type ProposalKey } from './proposals';
import type { RoomKind } from '$lib/live/events';
import { COUNTY_LIST_ID } from '$lib/pcf/live';
import type { Actor } from '../auth/actor';
import type { Decision } from '../decision';

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

/** The consultations list's rooms: a workspace's (its members and its district's group), or the county's (officers). */
const followList = (actor: Actor | null, clusterId: number | null): Decision =>
	actor ? can(actor, { action: 'pcf.consultations.follow', clusterId }) : { allowed: false, reason: 'You need to sign in first.' };

/** A bid's advice goes to the bid's room; each consultation, round and application advised on has a room, joined by whoever may read it. Only a workspace's newest consultations are remembered on the server. */
export const pcfLive = liveFeature({
	rooms: [
		proposalRoom('consultation', (consultationId) => ({ consultationId }), 'There is no such consultation.'),
		proposalRoom('pcfround', (roundId) => ({ roundId }), 'There is no such funding round.'),
		proposalRoom('pcfapplication', (applicationId) => ({ applicationId }), 'There is no such application.'),
		{ kind: 'consultations', authorize: async (_db, actor, clusterId) => followList(actor, clusterId) },
		{ kind: 'consultationscounty', authorize: async (_db, actor, id) => (id === COUNTY_LIST_ID ? followList(actor, null) : { allowed: false, reason: 'There is no such list.' }) }
	],
	events: {
		'pcf.changed': () => NOTHING_STALE,
		'pcf.consultation.changed': () => NOTHING_STALE,
		'pcf.round.changed': () => NOTHING_STALE,
		'pcf.application.changed': () => NOTHING_STALE,
		// A workspace remembers its newest consultations (`consultations:<clusterId>`); the county's list is not remembered.
		'pcf.consultations.changed': ({ room }) => partOfRoom(room, 'consultations', 'consultations')
	}
});
