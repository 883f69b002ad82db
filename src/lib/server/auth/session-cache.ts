import type { Database } from '../db';
import { hashToken, validateSessionToken, type ValidatedSession } from './session';

/**
 * Page and API requests check the session on every call; most come in bursts from one person.
 * Each instance remembers a checked session for a few seconds, and forgets a person's remembered
 * sessions the moment their rights may have changed: a committed event whose kind says so (a
 * role, membership or workspace change, here or relayed from another instance, see
 * `live/stale.ts`), their connections being ended, or a sign-out. Sockets always check afresh.
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

/** Forget every remembered session. */
export function forgetSessions(db: Database): void {
	remembered.get(db)?.clear();
}

/** Forget the remembered sessions of these people (or everyone's). */
export function forgetSessionsOf(db: Database, userIds: readonly number[] | 'all'): void {
	if (userIds === 'all') return forgetSessions(db);
	const store = remembered.get(db);
	if (!store || userIds.length === 0) return;
	const stale = new Set(userIds);
	for (const [id, { checked }] of store) if (stale.has(checked.actor.id)) store.delete(id);
}

/** Forget these sessions (by their hashed ids): they were ended. */
export function forgetSessionIds(db: Database, sessionIds: readonly string[]): void {
	const store = remembered.get(db);
	for (const id of sessionIds) store?.delete(id);
}
