import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forbidden, invalid } from '$lib/server/errors';
import { changePassword } from '$lib/server/auth/account';
import { newPasswordFields, newPasswordSchema, passwordFieldIds } from '$lib/server/auth/password-rule';
import { fieldErrorsOf } from '$lib/server/input';
import { refuseForm, textOf } from '$lib/server/forms';
import { requireActor, requirePermission } from '$lib/server/pages';

export const load: PageServerLoad = ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'account.changePassword', userId: actor.id });
	return { email: actor.email, changed: false };
};

export const actions: Actions = {
	// Not a redirect: the page says the password was changed and how many other browsers were signed out.
	default: async ({ request, locals, url }) => {
		const actor = requireActor(locals, url);
		const form = await request.formData();
		try {
			const current = textOf(form, 'current');
			const parsed = newPasswordSchema(actor).safeParse(newPasswordFields(form));
			// Every problem at once, in the page's order: the current password, then the new one.
			const errors = { ...(current ? {} : { current: ['Enter your current password'] }), ...(parsed.success ? {} : fieldErrorsOf(parsed.error)) };
			if (!parsed.success || !current) throw invalid('Check what you entered and try again.', errors);
			// The session this is typed in stays signed in; every other one ends.
			if (!locals.session) throw forbidden('You need to sign in first.');
			const { db } = await portal();
			const { sessionsEnded } = await changePassword(db, actor, locals.session.id, { current, password: parsed.data.password });
			return { changed: true, sessionsEnded };
		} catch (caught) {
			// Passwords are never sent back to the page.
			return refuseForm(caught, 'password', {}, passwordFieldIds);
		}
	}
};
