import type { Action } from '@sveltejs/kit';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { grantPickers } from '$lib/server/pickers';
import { refusalKeeping } from '$lib/server/forms';

// The invite and add-role forms' pickers, kept across a search without JavaScript (a GET to the
// page with every field in the address) and across a refused post (the post carries them).

/** The form's fields as a search without JavaScript sent them, so the page shows what was typed. */
export function typedIn(url: URL, fields: readonly string[]): Record<string, string> | null {
	if (!url.searchParams.has('settingQuery') && !url.searchParams.has('clusterQuery')) return null;
	return Object.fromEntries(fields.map((field) => [field, url.searchParams.get(field) ?? '']));
}

/** A form action whose refusal also carries the pickers as posted: the search typed and the choice made stay in view. */
export function keepingPickers<P extends Record<string, string>>(action: Action<P>): Action<P> {
	return refusalKeeping(action, async (event, posted) => {
		const { db } = await portal();
		return { pickers: await grantPickers(db, requireActor(event.locals, event.url), posted) };
	});
}
