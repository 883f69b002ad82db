import type { Actions, PageServerLoad } from './$types';
import { parseId } from '$lib/server/pages';
import { bidRoom } from '$lib/live/rooms';
import { advicePageActions, advicePageData } from '$lib/server/pcf/advice-page';

// One page per proposal for the forum's advice: its position and points, families' feedback,
// the answers (drafted, then published together), delivery, and the two checks before publication;
// and the proposal's discussion.

export const load: PageServerLoad = async (event) => {
	const bidId = parseId(event.params.bidId);
	return advicePageData(event, { key: bidId, room: bidRoom(bidId), reloads: `bid:${bidId}`, discussion: { kind: 'bid', id: bidId } });
};

export const actions: Actions = advicePageActions('bid', 'bidId', (bidId) => ({ bidId }), 'bids');
