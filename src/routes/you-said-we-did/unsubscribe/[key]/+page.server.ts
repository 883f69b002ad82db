import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { unsubscribe } from '$lib/server/pcf/subscriptions';

// Open to visitors: the key in every email's link is what unsubscribes. The page looks the same
// whether or not the key names a subscription, so it tells nobody whether an address is on the list.

export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return {};
};

export const actions: Actions = {
	default: async ({ params }) => {
		const { db } = await portal();
		await unsubscribe(db, params.key);
		redirect(303, '/you-said-we-did/editions?done=unsubscribed');
	}
};
