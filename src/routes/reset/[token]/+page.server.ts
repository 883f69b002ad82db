import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { RESET_PROBLEMS, ResetUnusable, resetByToken, resetPassword, type ResetProblem } from '$lib/server/auth/account';
import { newPasswordFields, newPasswordSchema, passwordFieldIds } from '$lib/server/auth/password-rule';
import { parseInput } from '$lib/server/input';
import { refuseForm } from '$lib/server/forms';

// Open to visitors: holding the link from the email is what lets someone in. A dead link gets
// its own page saying why (410 once used or expired, 404 when it was never ours).
function refuseLink(problem: ResetProblem): never {
	const { title, message } = RESET_PROBLEMS[problem];
	error(problem === 'unknown' ? 404 : 410, { message: title, reason: message });
}

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The page carries a secret link; keep it out of shared caches.
	setHeaders({ 'cache-control': 'private, no-store' });
	const { db } = await portal();
	const lookup = await resetByToken(db, params.token);
	if (!lookup.ok) refuseLink(lookup.problem);
	return { email: lookup.email };
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		const form = await request.formData();
		const { db } = await portal();
		const lookup = await resetByToken(db, params.token);
		if (!lookup.ok) refuseLink(lookup.problem);
		try {
			const { password } = parseInput(newPasswordSchema({ email: lookup.email }), newPasswordFields(form));
			await resetPassword(db, params.token, password);
		} catch (caught) {
			if (caught instanceof ResetUnusable) refuseLink(caught.problem);
			// Passwords are never sent back to the page.
			return refuseForm(caught, 'reset', {}, passwordFieldIds);
		}
		redirect(303, '/signin?reset=done');
	}
};
