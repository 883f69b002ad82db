import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { deadLink, openLink } from '$lib/server/secret-link';
import { CONFIRM_PROBLEMS, ConfirmationUnusable, confirmSubscription, confirmationByToken } from '$lib/server/pcf/subscriptions';

// Open to visitors: holding the link from the email is what confirms the address (see
// secret-link.ts). Opening the link only shows a button, so a mail scanner that follows links
// confirms nothing; pressing it does, once.

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { db } = await portal();
	const { districtName } = await openLink(confirmationByToken(db, params.token), CONFIRM_PROBLEMS, setHeaders);
	return { districtName };
};

export const actions: Actions = {
	default: async ({ params }) => {
		const { db } = await portal();
		try {
			await confirmSubscription(db, params.token);
		} catch (caught) {
			if (caught instanceof ConfirmationUnusable) deadLink(CONFIRM_PROBLEMS, caught.problem);
			throw caught;
		}
		redirect(303, '/you-said-we-did/editions?done=subscribed');
	}
};
