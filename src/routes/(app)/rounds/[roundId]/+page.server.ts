import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { clusterRoom } from '$lib/live/rooms';
import { loadRoundRef } from '$lib/server/bids/access';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ROUND_BID_KEY, roundDetail } from '$lib/server/bids/queries';
import { readCursor } from '$lib/server/paging';
import { closeRound, createBid } from '$lib/server/bids/commands';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';

const DONE: Record<string, string> = {
	opened: 'Funding round opened. Settings in the cluster can now start bids.',
	closed: 'Funding round closed. No more bids can be started, submitted or decided in it.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const roundId = parseId(params.roundId);
	depends(`round:${roundId}`); // live changes to this round reload this load only
	// The round's cluster room number, read before the data so later commits are replayed.
	const ref = await forPage(loadRoundRef(db, roundId));
	const liveSeq = await currentSeq(db, clusterRoom(ref.clusterId));
	const detail = await forPage(roundDetail(db, actor, roundId, readCursor(url.searchParams.get('bids'), ROUND_BID_KEY)));
	return { ...detail, liveSeq, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	startBid: formAction<number, { roundId: string }>({
		form: 'start',
		fields: ['leadSettingId', 'title'],
		run: ({ db, actor, values, params }) => createBid(db, actor, { ...values, roundId: parseId(params.roundId) }),
		done: (bidId) => `/bids/${bidId}?done=created`
	}),
	closeRound: formAction<void, { roundId: string }>({
		form: 'close',
		fields: ['reason', 'version'],
		visible: ['reason'],
		confirm: 'close the round',
		run: ({ db, actor, values, params }) => closeRound(db, actor, { ...values, roundId: parseId(params.roundId) }),
		done: (_, { params }) => `/rounds/${params.roundId}?done=closed`
	})
};
