import type { Database } from '../db';
import type { LiveEnvelope } from '$lib/live/events';

/**
 * The workspace read model (a cluster's summary, localities, settings, people and latest
 * activity) changes only through commands, and every command that changes a workspace commits
 * a live event to a cluster room. So each app instance keeps what it read until a cluster event
 * is committed here or relayed from another instance (or a short time passes, as a backstop),
 * and many people opening the same workspace cost one set of queries. Authorisation is never
 * cached: the policy is asked on every request.
 */
const BACKSTOP_MS = 30_000;

interface Entry {
	at: number;
	value: Promise<unknown>;
}
const stores = new WeakMap<Database, Map<string, Entry>>();

export function cachedRead<T>(db: Database, key: string, load: () => Promise<T>): Promise<T> {
	let store = stores.get(db);
	if (!store) stores.set(db, (store = new Map()));
	const hit = store.get(key);
	if (hit && Date.now() - hit.at < BACKSTOP_MS) return hit.value as Promise<T>;
	const value = load();
	const entry = { at: Date.now(), value };
	store.set(key, entry);
	// A failed read is not kept.
	value.catch(() => {
		if (store.get(key) === entry) store.delete(key);
	});
	return value;
}

/** After a commit here, or a relay from another instance: forget everything if any workspace changed. */
export function forgetWorkspacesAfter(db: Database, events: readonly LiveEnvelope[]): void {
	if (events.some((event) => event.room.startsWith('cluster:'))) stores.get(db)?.clear();
}
