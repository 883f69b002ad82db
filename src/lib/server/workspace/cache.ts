import type { Database } from '../db';

/**
 * The workspace read model (a cluster's summary, localities, settings, people and latest
 * activity) changes only through commands, and every such command commits a live event whose
 * kind declares which workspaces it makes stale (see `live/stale.ts`). So each app instance keeps
 * what it read until such an event is committed here or relayed from another instance (or a
 * short time passes, as a backstop), and many people opening the same workspace cost one set of
 * queries. Authorisation is never cached: the policy is asked on every request.
 */
const BACKSTOP_MS = 30_000;

interface Entry {
	at: number;
	value: Promise<unknown>;
}
const stores = new WeakMap<Database, Map<string, Entry>>();

/** `key` is `<part>:<clusterId>` (`members:12`), so a workspace's entries can be forgotten together. */
export function cachedRead<T>(db: Database, key: `${string}:${number}`, load: () => Promise<T>): Promise<T> {
	let store = stores.get(db);
	if (!store) stores.set(db, (store = new Map()));
	const hit = store.get(key);
	// Cast: one store holds every part's reads; a key (`members:12`) is only ever loaded by the same `load`, so its value is that T.
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

/** Forget what was read of these workspaces (or of every workspace). */
export function forgetWorkspaces(db: Database, clusterIds: readonly number[] | 'all'): void {
	const store = stores.get(db);
	if (!store) return;
	if (clusterIds === 'all') return store.clear();
	if (clusterIds.length === 0) return;
	const stale = new Set(clusterIds.map(String));
	for (const key of store.keys()) if (stale.has(key.slice(key.lastIndexOf(':') + 1))) store.delete(key);
}

/** Forget one part of these workspaces' read model (`rounds` of 12 and 14), and nothing else of them. */
export function forgetWorkspaceParts(db: Database, part: string, clusterIds: readonly number[]): void {
	const store = stores.get(db);
	if (!store) return;
	for (const id of clusterIds) store.delete(`${part}:${id}`);
}
