import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { pcfRoundRoom } from '$lib/pcf/live';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ownValue } from '$lib/schemas/common';
import { adviceFor, themeList } from '$lib/server/pcf/queries';
import { ADVICE_DONE, adviceActions } from '$lib/server/pcf/advice-actions';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';

// The forum's themed response across a whole funding round: one position and its points about
// every bid of the district in the round, with the same forms as a bid's advice (the lead's
// approval, answers published together, delivery, the two checks). A council officer answers.
// Below it, the round's threaded discussion, open to whoever may read the advice.

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const roundId = parseId(params.roundId);
	depends(`pcfround:${roundId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, pcfRoundRoom(roundId));
	const advice = await forPage(adviceFor(db, actor, { roundId }));
	return {
		...advice,
		liveSeq,
		...(await discussionOnPage(db, actor, 'funding_round', roundId, url, depends)),
		themes: await themeList(db),
		done: ownValue(ADVICE_DONE, url.searchParams.get('done')) ?? null
	};
};

export const actions: Actions = {
	...discussionActions('funding_round', 'roundId'),
	...adviceActions<{ roundId: string }>(
		(params) => ({ roundId: parseId(params.roundId) }),
		(params) => `/pcf/rounds/${params.roundId}`
	)
};
