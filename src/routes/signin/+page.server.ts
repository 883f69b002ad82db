import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signInSchema } from '$lib/schemas/auth';
import { fieldErrorsOf } from '$lib/server/input';
import type { FormRefusal } from '$lib/server/forms';
import { signIn } from '$lib/server/auth/signin';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { DEVICE_COOKIE, DEVICE_LIFETIME_MS } from '$lib/server/auth/device';
import { safeReturnPath } from '$lib/server/auth/return-path';
import { clientAddress } from '$lib/server/client-address';
import { portal } from '$lib/server/boot';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, safeReturnPath(url.searchParams.get('next')));
	return { next: safeReturnPath(url.searchParams.get('next')), passwordReset: url.searchParams.get('reset') === 'done' };
};

/**
 * Signing in keeps its own handling (it sets cookies, throttles and tells a deactivated person
 * whom to ask, on this page) but answers in the one refusal shape. The password is never sent back.
 */
const refuse = (status: number, email: string, errors: Record<string, string[]>, message = '') =>
	fail(status, { form: 'signin', message, errors, values: { email }, conflict: false } satisfies FormRefusal);

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = signInSchema.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return refuse(400, email, fieldErrorsOf(parsed.error));

		const { db } = await portal();
		const result = await signIn(db, {
			...parsed.data,
			address: clientAddress(request.headers, getClientAddress()),
			deviceToken: cookies.get(DEVICE_COOKIE)
		});
		if (!result.ok) {
			if (result.reason === 'limited') {
				setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
				return refuse(429, email, {}, result.message);
			}
			if (result.reason === 'inactive') return refuse(403, email, {}, result.message);
			// Linked to the password field (the one to retype), as GOV.UK error summaries link to a field.
			return refuse(400, email, { password: [result.message] });
		}
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: result.session.expiresAt });
		// Only the sign-in page reads it.
		cookies.set(DEVICE_COOKIE, result.deviceToken, {
			path: '/signin',
			httpOnly: true,
			sameSite: 'lax',
			expires: new Date(Date.now() + DEVICE_LIFETIME_MS)
		});
		redirect(303, safeReturnPath(url.searchParams.get('next')));
	}
};
