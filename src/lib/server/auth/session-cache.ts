import type { Database } from '../db';
import { hashToken, validateSessionToken, type ValidatedSession } from './session';

/**
 * Page and API requests check the session on every call; most come in bursts from one person.
 * Each instance remembers a checked session, and forgets a person's remembered sessions the
 * moment their rights may have changed: a committed event whose kind says so (a role, membership
 * or workspace change, here or relayed from another instance, see `live/stale.ts`), their
 * connections being ended, or a sign-out (every way a session ends goes through `Work`, which
 * relays it). What the portal changes is therefore forgotten at once everywhere; the time limit is
 * only a backstop, the same as the workspace read model's, for a relay that never arrived or a
 * change made behind the portal's back. Expiry is checked on every call. Sockets always check afresh.
 */
const REMEMBER_MS = 30_000;

interface Remembered {
	at: number;
	checked: ValidatedSession;
}
interface Store {
	sessions: Map<string, Remembered>;
	/** Checks under way, by hashed id: requests arriving together (a page's refetches after one live event) share one. */
	checking: Map<string, Promise<ValidatedSession | null>>;
	/** Moves on whenever anything is forgotten, so a check that began before is used once, not remembered. */
	generation: number;
}
const stores = new WeakMap<Database, Store>();

function storeOf(db: Database): Store {
	let store = stores.get(db);
	if (!store) stores.set(db, (store = { sessions: new Map(), checking: new Map(), generation: 0 }));
	return store;
}

/** Something was forgotten: checks under way may have read what is now stale. */
function forgotten(store: Store): void {
	store.generation++;
	store.checking.clear();
}

export async function checkSession(db: Database, token: string): Promise<ValidatedSession | null> {
	const store = storeOf(db);
	const id = hashToken(token);
	const hit = store.sessions.get(id);
	const now = Date.now();
	if (hit && now - hit.at < REMEMBER_MS && hit.checked.session.expiresAt.getTime() > now) return hit.checked;
	store.sessions.delete(id);
	const under = store.checking.get(id);
	if (under) return under;
	const generation = store.generation;
	const checking = validateSessionToken(db, token).finally(() => {
		if (store.checking.get(id) === checking) store.checking.delete(id);
	});
	store.checking.set(id, checking);
	const checked = await checking;
	if (checked && store.generation === generation) store.sessions.set(id, { at: now, checked });
	return checked;
}

/** Forget every remembered session. */
export function forgetSessions(db: Database): void {
	const store = stores.get(db);
	if (!store) return;
	store.sessions.clear();
	forgotten(store);
}

/** Forget the remembered sessions of these people (or everyone's). */
export function forgetSessionsOf(db: Database, userIds: readonly number[] | 'all'): void {
	if (userIds === 'all') return forgetSessions(db);
	const store = stores.get(db);
	if (!store || userIds.length === 0) return;
	const stale = new Set(userIds);
	for (const [id, { checked }] of store.sessions) if (stale.has(checked.actor.id)) store.sessions.delete(id);
	forgotten(store);
}

/** Forget these sessions (by their hashed ids): they were ended. */
export function forgetSessionIds(db: Database, sessionIds: readonly string[]): void {
	const store = stores.get(db);
	if (!store || sessionIds.length === 0) return;
	for (const id of sessionIds) store.sessions.delete(id);
	forgotten(store);
}
