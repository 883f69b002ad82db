import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { DomainError, httpStatus } from '$lib/server/errors';
import { RESET_PROBLEMS, ResetUnusable, resetByToken, resetPassword, type ResetProblem } from '$lib/server/auth/account';
import { newPasswordSchema } from '$lib/server/auth/password-rule';
import { fieldErrorsOf } from '$lib/server/input';

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
		const parsed = newPasswordSchema({ email: lookup.email }).safeParse({
			password: String(form.get('password') ?? ''),
			confirm: String(form.get('confirm') ?? '')
		});
		if (!parsed.success) return fail(400, { errors: fieldErrorsOf(parsed.error), message: undefined });
		try {
			await resetPassword(db, params.token, parsed.data.password);
		} catch (caught) {
			if (caught instanceof ResetUnusable) refuseLink(caught.problem);
			if (!(caught instanceof DomainError)) throw caught;
			return fail(httpStatus[caught.code], { errors: caught.fieldErrors ?? {}, message: caught.message });
		}
		redirect(303, '/signin?reset=done');
	}
};
