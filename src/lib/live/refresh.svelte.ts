import { invalidate, invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Reloads a page's data after a live event without cancelling a navigation in progress: a
 * form's redirect arrives at about the same moment as the live event its own change caused, and
 * a reload started then would win over the redirect. During a navigation it waits, then reloads
 * once. Reloads one load's `depends()` key when given one, else everything. Create while a
 * component initialises.
 */
export class LiveReloader {
	#all = false;
	/** Not state: the effect follows only the navigation. */
	#keys: string[] = [];

	constructor() {
		$effect(() => {
			if (navigating.to === null && (this.#all || this.#keys.length > 0)) this.#flush();
		});
	}

	/** Reload what depends on `key` (a load's `depends('bid:12')`), or everything. */
	reload(key?: string): void {
		if (key === undefined) this.#all = true;
		else if (!this.#keys.includes(key)) this.#keys.push(key);
		if (!navigating.to) this.#flush();
	}

	#flush() {
		const [all, keys] = [this.#all, this.#keys];
		this.#all = false;
		this.#keys = [];
		if (all) void invalidateAll();
		else for (const key of keys) void invalidate(key);
	}
}

/** Reload everything after a live event (see LiveReloader). */
export function liveRefresher(): () => void {
	const reloader = new LiveReloader();
	return () => reloader.reload();
}
