import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgotPasswordSchema } from '$lib/schemas/auth';
import { fieldErrorsOf } from '$lib/server/input';
import type { FormRefusal } from '$lib/server/forms';
import { requestPasswordReset } from '$lib/server/auth/account';
import { waitMessage } from '$lib/server/auth/throttle';
import { clientAddress } from '$lib/server/client-address';
import { portal } from '$lib/server/boot';

// Open to visitors. The answer is the same whether or not the address has an account.
export const load: PageServerLoad = () => ({});

const refuse = (status: number, email: string, errors: Record<string, string[]>, message = '') =>
	fail(status, { form: 'forgot', message, errors, values: { email }, conflict: false } satisfies FormRefusal);

export const actions: Actions = {
	default: async ({ request, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = forgotPasswordSchema.safeParse({ email });
		if (!parsed.success) return refuse(400, email, fieldErrorsOf(parsed.error));
		const { db } = await portal();
		const result = await requestPasswordReset(db, {
			email: parsed.data.email,
			address: clientAddress(request.headers, getClientAddress())
		});
		if (!result.ok) {
			setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
			return refuse(429, email, {}, `Too many requests for reset links from your network. ${waitMessage(result.retryAfterSeconds)}, then try again.`);
		}
		return { email: parsed.data.email, sent: true };
	}
};
