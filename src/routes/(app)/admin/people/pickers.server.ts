import { fail, isActionFailure, type Action } from '@sveltejs/kit';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { grantPickers } from '$lib/server/pickers';
import { refusalIn } from '$lib/form-refusal';

// The invite and add-role forms' pickers, kept across a search without JavaScript (a GET to the
// page with every field in the address) and across a refused post (the post carries them).

/** The form's fields as a search without JavaScript sent them, so the page shows what was typed. */
export function typedIn(url: URL, fields: readonly string[]): Record<string, string> | null {
	if (!url.searchParams.has('settingQuery') && !url.searchParams.has('clusterQuery')) return null;
	return Object.fromEntries(fields.map((field) => [field, url.searchParams.get(field) ?? '']));
}

/** A form action whose refusal also carries the pickers as posted: the search typed and the choice made stay in view. */
export function keepingPickers<P extends Record<string, string>>(action: Action<P>): Action<P> {
	return async (event) => {
		// A body that is not a form is the action's to refuse, not this wrapper's.
		const posted = await event.request
			.clone()
			.formData()
			.catch(() => null);
		const result = await action(event);
		if (!posted || !isActionFailure(result)) return result;
		const refusal = refusalIn(result.data);
		if (!refusal) return result;
		const { db } = await portal();
		const pickers = await grantPickers(db, requireActor(event.locals, event.url), posted);
		return fail(result.status, { ...refusal, pickers });
	};
}
