import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { acceptInvitation, invitationByToken, INVITATION_PROBLEMS, InvitationUnusable, type AcceptResult, type InvitationProblem } from '$lib/server/people';
import { parseInput } from '$lib/server/input';
import { refuseForm, type FormRefusal } from '$lib/server/forms';
import { DomainError } from '$lib/server/errors';
import { newPasswordFields, newPasswordSchema, passwordFieldIds } from '$lib/server/auth/password-rule';

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
		let result: AcceptResult;
		try {
			const { password } = parseInput(newPasswordSchema({ email: lookup.invitation.email }), newPasswordFields(form));
			result = await acceptInvitation(db, params.token, password, locals.actor ?? null);
		} catch (caught) {
			if (caught instanceof InvitationUnusable) refuseLink(caught.problem);
			// Signed in as someone else, or the sender: the answer is on this page (sign out first), not an error page.
			if (caught instanceof DomainError && caught.code === 'FORBIDDEN') {
				return fail(403, { form: 'invite', message: caught.message, errors: {}, values: {}, conflict: false } satisfies FormRefusal);
			}
			// Passwords are never sent back to the page.
			return refuseForm(caught, 'invite', {}, passwordFieldIds);
		}
		if (result.kind === 'signInRequired') return { signInRequired: true };
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: result.session.expiresAt });
		redirect(303, '/');
	}
};
