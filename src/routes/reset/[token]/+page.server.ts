import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { RESET_PROBLEMS, ResetUnusable, resetByToken, resetPassword } from '$lib/server/auth/account';
import { newPasswordFrom, passwordFieldIds } from '$lib/server/auth/password-rule';
import { refuseForm } from '$lib/server/forms';
import { deadLink, openLink } from '$lib/server/secret-link';

// Open to visitors: holding the link from the email is what lets someone in (see secret-link.ts).

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { db } = await portal();
	const { email } = await openLink(resetByToken(db, params.token), RESET_PROBLEMS, setHeaders);
	return { email };
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		const form = await request.formData();
		const { db } = await portal();
		const { email } = await openLink(resetByToken(db, params.token), RESET_PROBLEMS);
		try {
			await resetPassword(db, params.token, newPasswordFrom(form, { email }));
		} catch (caught) {
			if (caught instanceof ResetUnusable) deadLink(RESET_PROBLEMS, caught.problem);
			// Passwords are never sent back to the page.
			return refuseForm(caught, 'reset', {}, passwordFieldIds);
		}
		redirect(303, '/signin?reset=done');
	}
};
