import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { prefixedIds, refuseForm, type FormRefusal } from '$lib/server/forms';
import { waitMessage } from '$lib/server/auth/throttle';
import { clientAddress } from '$lib/server/client-address';
import { publicDistrictPicker } from '$lib/server/pickers';
import { idFromText } from '$lib/schemas/common';
import { subscribe } from '$lib/server/pcf/subscriptions';

// Public: families have no accounts. The answer is the same whether or not the address is
// already subscribed; the confirmation email is the only way in (double opt-in).

// "Which area?" is a search for the district (England has hundreds), All of Oxfordshire first.
// Without JavaScript the search is its own GET form (`?districtQuery=`), so an email address is
// never put in an address; `?district=` chooses one (a district page's link).
export const load: PageServerLoad = async ({ url }) => {
	const { db } = await portal();
	const picker = await publicDistrictPicker(db, { query: url.searchParams.get('districtQuery'), chosen: idFromText(url.searchParams.get('district')) });
	return { picker, asked: url.searchParams.get('asked') === '1' };
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
			const refused = refuseForm(caught, 'subscribe', values, prefixedIds('subscribe', FIELDS));
			// The area as posted stays chosen.
			return fail(refused.status, { ...refused.data, picker: await publicDistrictPicker(db, { query: null, chosen: idFromText(values.districtId) }) });
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
