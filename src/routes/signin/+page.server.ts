import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { fieldErrors, signInSchema } from '$lib/schemas/auth';
import { signIn } from '$lib/server/auth/signin';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { portal } from '$lib/server/boot';

/** Only same-site paths, so the sign-in page cannot bounce people to another site. */
function safeNext(value: string | null): string {
	return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = signInSchema.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, errors: fieldErrors(parsed.error), message: undefined });

		const { db, database } = await portal();
		const result = await signIn(db, database.pool, { ...parsed.data, address: getClientAddress() });
		if (!result.ok) {
			if (result.reason === 'limited') return fail(429, { email, errors: {}, message: result.message });
			// Linked to the password field (the one to retype), as GOV.UK error summaries link to a field.
			return fail(400, { email, errors: { password: [result.message] }, message: undefined });
		}
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: result.session.expiresAt });
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
