import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/rooms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ownValue } from '$lib/schemas/common';
import { adviceForBid, themeList } from '$lib/server/pcf/queries';
import { ADVICE_DONE, adviceActions } from '$lib/server/pcf/advice-actions';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';

// One page per proposal for the forum's advice: its position and points, families' feedback,
// the answers (drafted, then published together), delivery, and the two checks before publication;
// and the proposal's discussion.

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	depends(`bid:${bidId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const advice = await forPage(adviceForBid(db, actor, bidId));
	return {
		...advice,
		liveSeq,
		...(await discussionOnPage(db, actor, 'bid', bidId, url, depends)),
		themes: await themeList(db),
		done: ownValue(ADVICE_DONE, url.searchParams.get('done')) ?? null
	};
};

export const actions: Actions = {
	...discussionActions('bid', 'bidId'),
	...adviceActions<{ bidId: string }>(
		(params) => ({ bidId: parseId(params.bidId) }),
		(params) => `/pcf/bids/${params.bidId}`
	)
};
