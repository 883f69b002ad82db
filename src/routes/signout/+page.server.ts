import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { SESSION_COOKIE, invalidateSession } from '$lib/server/auth/session';
import { portal } from '$lib/server/boot';
import { forgetSessions } from '$lib/server/auth/session-cache';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) {
			const { db, io } = await portal();
			await invalidateSession(db, locals.session.id);
			// Every instance forgets the sessions it remembered, so this one ends everywhere at once.
			forgetSessions(db);
			io?.serverSideEmit('forgetSessions');
		}
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/signin');
	}
};
