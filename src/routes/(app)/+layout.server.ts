import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Everything under (app) needs a signed-in person; visitors go to sign in and come back.
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
};
