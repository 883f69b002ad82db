import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction, refuseForm, prefixedIds, textOf } from '$lib/server/forms';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { MY_POLLS_KEY, createFeed, myFeeds, myPolls, revokeFeed } from '$lib/server/disputes';

// A panel member's own meeting polls, by case reference only, and their private calendar feed
// link for each district pool they are in (made or replaced here, shown once, stopped here).
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	setHeaders({ 'cache-control': 'private, no-store' });
	const [page, feeds] = await Promise.all([forPage(myPolls(db, actor, readCursor(url.searchParams.get('page'), MY_POLLS_KEY))), forPage(myFeeds(db, actor))]);
	return { page, feeds, done: url.searchParams.get('done') };
};

export const actions: Actions = {
	// Not a redirect: the new link is shown once, in this response, and kept nowhere but its hash.
	// The response is kept out of caches by the request hook, as every signed-in answer is (setting the
	// header here as well would clash with the page's own when the page is drawn without JavaScript).
	feed: async ({ locals, url, request }) => {
		const actor = requireActor(locals, url);
		const data = await request.formData();
		const values = { membershipId: textOf(data, 'membershipId') };
		const { db } = await portal();
		try {
			return { made: await createFeed(db, actor, values) };
		} catch (caught) {
			return refuseForm(caught, 'feed', values, prefixedIds('feed', []));
		}
	},
	stopFeed: formAction({
		form: 'feed',
		fields: ['membershipId'],
		visible: [],
		run: ({ db, actor, values }) => revokeFeed(db, actor, values),
		done: () => '/disputes/polls?done=feed-stopped'
	})
};
