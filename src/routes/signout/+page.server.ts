import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { signOut } from '$lib/server/auth/account';
import { portal } from '$lib/server/boot';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session && locals.actor) {
			const { db } = await portal();
			// Ends the session and its live connections on every instance.
			await signOut(db, locals.actor, locals.session.id);
		}
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/signin');
	}
};
