import type { Database } from '../db';
import { EVENT_STALENESS } from '../live-features';
import { forgetWorkspaceParts, forgetWorkspaces } from '../workspace/cache';
import { forgetSessionIds, forgetSessionsOf } from '../auth/session-cache';
import { noteCommitted } from './catch-up';
import type { LiveEnvelope, LiveEventKind } from '$lib/live/events';
import type { StaleAfter, Staleness } from './registry';

/** What happened in one commit that may make remembered reads stale. */
export interface Committed {
	events?: readonly LiveEnvelope[];
	/** People whose connections were ended (deactivated, or their roles changed). */
	userIds?: readonly number[];
	/** Sessions ended (signed out, or by a password change). */
	sessionIds?: readonly string[];
}

type Ids<T> = Set<T> | 'all';
const add = <T>(into: Ids<T>, more: readonly T[] | 'all' | undefined): Ids<T> =>
	into === 'all' || more === 'all' ? 'all' : (more?.forEach((id) => into.add(id)), into);

/** What an event makes stale, as its kind declares; a kind this instance does not know forgets everything. */
export function staleAfter(event: LiveEnvelope): Staleness {
	// Cast: each kind's entry takes that kind's event (see live-features.ts); a relayed event may be of a kind this instance lacks, hence Partial.
	const declared = (EVENT_STALENESS as Partial<Record<LiveEventKind, StaleAfter<LiveEventKind>>>)[event.kind];
	return declared ? declared(event) : { workspaces: 'all', sessionsOf: 'all' };
}

/**
 * Forgets exactly what a commit made stale, on this instance: after a commit here, and when
 * another instance relays its events or ended connections. Nothing else is forgotten.
 */
export function forgetStale(db: Database, committed: Committed): void {
	let workspaces: Ids<number> = new Set();
	let people: Ids<number> = new Set(committed.userIds ?? []);
	const parts = new Map<string, Set<number>>();
	for (const event of committed.events ?? []) {
		const stale = staleAfter(event);
		workspaces = add(workspaces, stale.workspaces);
		people = add(people, stale.sessionsOf);
		for (const [part, ids] of Object.entries(stale.workspaceParts ?? {})) {
			const into = parts.get(part) ?? new Set<number>();
			for (const id of ids) into.add(id);
			parts.set(part, into);
		}
	}
	forgetWorkspaces(db, workspaces === 'all' ? 'all' : [...workspaces]);
	// Parts of workspaces forgotten whole above are gone already.
	if (workspaces !== 'all') for (const [part, ids] of parts) forgetWorkspaceParts(db, part, [...ids]);
	forgetSessionsOf(db, people === 'all' ? 'all' : [...people]);
	forgetSessionIds(db, committed.sessionIds ?? []);
	// Only now, with what they made stale forgotten, do the rooms' numbers move on.
	noteCommitted(db, committed.events ?? []);
}
