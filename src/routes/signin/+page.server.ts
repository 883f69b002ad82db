import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signInSchema } from '$lib/schemas/auth';
import { fieldErrorsOf } from '$lib/server/input';
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

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = signInSchema.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, errors: fieldErrorsOf(parsed.error), message: undefined });

		const { db } = await portal();
		const result = await signIn(db, {
			...parsed.data,
			address: clientAddress(request.headers, getClientAddress()),
			deviceToken: cookies.get(DEVICE_COOKIE)
		});
		if (!result.ok) {
			if (result.reason === 'limited') {
				setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
				return fail(429, { email, errors: {}, message: result.message });
			}
			if (result.reason === 'inactive') return fail(403, { email, errors: {}, message: result.message });
			// Linked to the password field (the one to retype), as GOV.UK error summaries link to a field.
			return fail(400, { email, errors: { password: [result.message] }, message: undefined });
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
