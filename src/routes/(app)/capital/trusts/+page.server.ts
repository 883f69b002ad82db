import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { createTrust, TRUST_KEY, trustsPage } from '$lib/server/capital';
import { readCursor } from '$lib/server/paging';

// Academy trusts, for officers: a page of them by name, and the form that adds one.

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { trusts: await forPage(trustsPage(db, actor, readCursor(url.searchParams.get('page'), TRUST_KEY))) };
};

export const actions: Actions = {
	default: formAction({
		form: 'trust',
		fields: ['name', 'companyNumber', 'reason'],
		run: ({ db, actor, values }) => createTrust(db, actor, values),
		done: ({ id }) => `/capital/trusts/${id}?done=added`
	})
};
