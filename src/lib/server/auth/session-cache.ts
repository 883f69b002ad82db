import type { Database } from '../db';
import type { LiveEnvelope } from '$lib/live/events';
import { hashToken, validateSessionToken, type ValidatedSession } from './session';

/**
 * Page and API requests check the session on every call; most come in bursts from one person.
 * Each instance remembers a checked session for a few seconds, and forgets every remembered
 * session the moment anyone's rights may have changed: any committed workspace change (roles,
 * moves, merges), any deactivation or role change (here or relayed from another instance), or a
 * sign-out here. Sockets always check afresh.
 */
const REMEMBER_MS = 5_000;

interface Remembered {
	at: number;
	checked: ValidatedSession;
}
const remembered = new WeakMap<Database, Map<string, Remembered>>();

export async function checkSession(db: Database, token: string): Promise<ValidatedSession | null> {
	let store = remembered.get(db);
	if (!store) remembered.set(db, (store = new Map()));
	const id = hashToken(token);
	const hit = store.get(id);
	const now = Date.now();
	if (hit && now - hit.at < REMEMBER_MS && hit.checked.session.expiresAt.getTime() > now) return hit.checked;
	store.delete(id);
	const checked = await validateSessionToken(db, token);
	if (checked) store.set(id, { at: now, checked });
	return checked;
}

/** Forget every remembered session (someone's rights or sessions changed). */
export function forgetSessions(db: Database): void {
	remembered.get(db)?.clear();
}

/** After a commit: did it change anyone's rights? Workspace events or ended connections say so. */
export function forgetSessionsAfter(db: Database, events: readonly LiveEnvelope[], disconnectedUsers: readonly number[]): void {
	if (disconnectedUsers.length > 0 || events.some((event) => event.room.startsWith('cluster:'))) forgetSessions(db);
}
