import type { Actions, PageServerLoad } from './$types';
import { parseId } from '$lib/server/pages';
import { pcfRoundRoom } from '$lib/pcf/live';
import { advicePageActions, advicePageData } from '$lib/server/pcf/advice-page';

// The forum's themed response across a whole funding round: one position and its points about
// every bid of the district in the round, with the same forms as a bid's advice (the lead's
// approval, answers published together, delivery, the two checks). A council officer answers.
// Below it, the round's threaded discussion, open to whoever may read the advice.

export const load: PageServerLoad = async (event) => {
	const roundId = parseId(event.params.roundId);
	return advicePageData(event, { key: { roundId }, room: pcfRoundRoom(roundId), reloads: `pcfround:${roundId}`, discussion: { kind: 'funding_round', id: roundId } });
};

export const actions: Actions = advicePageActions('funding_round', 'roundId', (roundId) => ({ roundId }), 'rounds');
