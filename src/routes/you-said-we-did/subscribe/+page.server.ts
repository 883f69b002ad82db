import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { prefixedIds, refuseForm, type FormRefusal } from '$lib/server/forms';
import { waitMessage } from '$lib/server/auth/throttle';
import { clientAddress } from '$lib/server/client-address';
import { editionDistricts } from '$lib/server/pcf/editions';
import { subscribe } from '$lib/server/pcf/subscriptions';

// Public: families have no accounts. The answer is the same whether or not the address is
// already subscribed; the confirmation email is the only way in (double opt-in).

export const load: PageServerLoad = async ({ url }) => {
	const { db } = await portal();
	return { districts: await editionDistricts(db), asked: url.searchParams.get('asked') === '1' };
};

const FIELDS = ['email', 'districtId'] as const;

export const actions: Actions = {
	default: async ({ request, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const values = Object.fromEntries(FIELDS.map((field) => [field, String(form.get(field) ?? '')]));
		const { db } = await portal();
		let result;
		try {
			result = await subscribe(
				db,
				{ email: values.email, districtId: values.districtId === 'county' ? null : values.districtId },
				clientAddress(request.headers, getClientAddress())
			);
		} catch (caught) {
			return refuseForm(caught, 'subscribe', values, prefixedIds('subscribe', FIELDS));
		}
		if (!result.ok) {
			setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
			return fail(429, {
				form: 'subscribe',
				message: `Too many requests from your network. ${waitMessage(result.retryAfterSeconds)}, then try again.`,
				errors: {},
				values,
				conflict: false
			} satisfies FormRefusal);
		}
		redirect(303, '/you-said-we-did/subscribe?asked=1');
	}
};
