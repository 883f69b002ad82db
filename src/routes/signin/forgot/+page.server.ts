import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgotPasswordSchema } from '$lib/schemas/auth';
import { fieldErrorsOf } from '$lib/server/input';
import { requestPasswordReset } from '$lib/server/auth/account';
import { waitMessage } from '$lib/server/auth/throttle';
import { clientAddress } from '$lib/server/client-address';
import { portal } from '$lib/server/boot';

// Open to visitors. The answer is the same whether or not the address has an account.
export const load: PageServerLoad = () => ({});

export const actions: Actions = {
	default: async ({ request, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = forgotPasswordSchema.safeParse({ email });
		if (!parsed.success) return fail(400, { email, errors: fieldErrorsOf(parsed.error), message: undefined, sent: false });
		const { db } = await portal();
		const result = await requestPasswordReset(db, {
			email: parsed.data.email,
			address: clientAddress(request.headers, getClientAddress())
		});
		if (!result.ok) {
			setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
			return fail(429, {
				email,
				errors: {},
				message: `Too many requests for reset links from your network. ${waitMessage(result.retryAfterSeconds)}, then try again.`,
				sent: false
			});
		}
		return { email: parsed.data.email, errors: {}, message: undefined, sent: true };
	}
};
