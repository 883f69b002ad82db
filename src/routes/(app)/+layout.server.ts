import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Everything under (app) needs a signed-in person; visitors go to sign in and come back.
// Each render gets a fresh one-time form token (FormToken.svelte): after any post the page's data
// is reloaded, so the next post carries a new one, while a double click repeats the same one.
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	return { formToken: randomUUID() };
};
