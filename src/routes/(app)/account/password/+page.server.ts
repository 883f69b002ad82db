import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { DomainError, httpStatus } from '$lib/server/errors';
import { changePassword } from '$lib/server/auth/account';
import { newPasswordSchema } from '$lib/server/auth/password-rule';
import { fieldErrorsOf } from '$lib/server/input';
import { can } from '$lib/server/policy';
import { refusalPage } from '$lib/server/pages';
import { forbidden } from '$lib/server/errors';

export const load: PageServerLoad = ({ locals }) => {
	const decision = can(locals.actor, { action: 'account.changePassword', userId: locals.actor?.id ?? 0 });
	if (!decision.allowed) refusalPage(forbidden(decision.reason));
	return { email: locals.actor!.email, changed: false };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const decision = can(locals.actor, { action: 'account.changePassword', userId: locals.actor?.id ?? 0 });
		if (!decision.allowed || !locals.actor || !locals.session) refusalPage(forbidden(decision.allowed ? 'You need to sign in first.' : decision.reason));
		const form = await request.formData();
		const current = String(form.get('current') ?? '');
		const parsed = newPasswordSchema(locals.actor).safeParse({
			password: String(form.get('password') ?? ''),
			confirm: String(form.get('confirm') ?? '')
		});
		const errors: Record<string, string[]> = parsed.success ? {} : fieldErrorsOf(parsed.error);
		if (!current) errors.current = ['Enter your current password'];
		// Field order for the error summary: as on the page.
		const ordered = Object.fromEntries(['current', 'password', 'confirm'].filter((f) => errors[f]).map((f) => [f, errors[f]]));
		if (!parsed.success || !current) return fail(400, { errors: ordered, message: undefined, sessionsEnded: 0 });

		const { db } = await portal();
		try {
			const { sessionsEnded } = await changePassword(db, locals.actor, locals.session.id, { current, password: parsed.data.password });
			return { errors: {}, message: undefined, changed: true, sessionsEnded };
		} catch (caught) {
			if (!(caught instanceof DomainError)) throw caught;
			return fail(httpStatus[caught.code], { errors: caught.fieldErrors ?? {}, message: caught.fieldErrors ? undefined : caught.message, sessionsEnded: 0 });
		}
	}
};
