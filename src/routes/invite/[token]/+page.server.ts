import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { DomainError, httpStatus } from '$lib/server/errors';
import { acceptInvitation, invitationByToken, INVITATION_PROBLEMS, InvitationUnusable, type AcceptResult, type InvitationProblem } from '$lib/server/people';
import { fieldErrorsOf } from '$lib/server/input';
import { newPasswordSchema } from '$lib/server/auth/password-rule';

// Open to visitors: holding the link is what lets someone in. A dead link gets its own page
// (+error.svelte here) saying why and what to do: 410 Gone once used, expired or withdrawn,
// 404 when the link was never ours.

function refuseLink(problem: InvitationProblem): never {
	const { title, message } = INVITATION_PROBLEMS[problem];
	error(problem === 'unknown' ? 404 : 410, { message: title, reason: message });
}

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The page carries a secret link; keep it out of shared caches and other sites' logs.
	setHeaders({ 'cache-control': 'private, no-store' });
	const { db } = await portal();
	const lookup = await invitationByToken(db, params.token);
	if (!lookup.ok) refuseLink(lookup.problem);
	return { invitation: lookup.invitation };
};

export const actions: Actions = {
	default: async ({ params, request, cookies, locals }) => {
		const form = await request.formData();
		const { db } = await portal();
		const lookup = await invitationByToken(db, params.token);
		if (!lookup.ok) refuseLink(lookup.problem);
		const parsed = newPasswordSchema({ email: lookup.invitation.email }).safeParse({
			password: String(form.get('password') ?? ''),
			confirm: String(form.get('confirm') ?? '')
		});
		if (!parsed.success) return fail(400, { errors: fieldErrorsOf(parsed.error), message: undefined });

		let result: AcceptResult;
		try {
			result = await acceptInvitation(db, params.token, parsed.data.password, locals.actor ?? null);
		} catch (caught) {
			if (caught instanceof InvitationUnusable) refuseLink(caught.problem);
			if (!(caught instanceof DomainError)) throw caught;
			return fail(httpStatus[caught.code], { errors: caught.fieldErrors ?? {}, message: caught.message });
		}
		if (result.kind === 'signInRequired') return { signInRequired: true };
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: result.session.expiresAt });
		redirect(303, '/');
	}
};
