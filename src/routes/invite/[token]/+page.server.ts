import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { acceptInvitation, invitationByToken, INVITATION_PROBLEMS, InvitationUnusable, type AcceptResult } from '$lib/server/people';
import { deadLink, openLink } from '$lib/server/secret-link';
import { refuseForm, type FormRefusal } from '$lib/server/forms';
import { DomainError } from '$lib/server/errors';
import { newPasswordFrom, passwordFieldIds } from '$lib/server/auth/password-rule';

// Open to visitors: holding the link is what lets someone in (see secret-link.ts; a dead link's
// page is +error.svelte here).

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { db } = await portal();
	const { invitation } = await openLink(invitationByToken(db, params.token), INVITATION_PROBLEMS, setHeaders);
	return { invitation };
};

export const actions: Actions = {
	default: async ({ params, request, cookies, locals }) => {
		const form = await request.formData();
		const { db } = await portal();
		const { invitation } = await openLink(invitationByToken(db, params.token), INVITATION_PROBLEMS);
		let result: AcceptResult;
		try {
			result = await acceptInvitation(db, params.token, newPasswordFrom(form, invitation), locals.actor ?? null);
		} catch (caught) {
			if (caught instanceof InvitationUnusable) deadLink(INVITATION_PROBLEMS, caught.problem);
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
