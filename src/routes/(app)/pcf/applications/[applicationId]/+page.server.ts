import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { pcfApplicationRoom } from '$lib/pcf/live';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ownValue } from '$lib/schemas/common';
import { adviceFor, themeList } from '$lib/server/pcf/queries';
import { ADVICE_DONE, adviceActions } from '$lib/server/pcf/advice-actions';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';

// The forum's advice on one inclusion-base application (a scheme, an early years grant or a
// rollout school), with the same forms as a bid's: the group's position (the lead approves it),
// points with themes, families' aggregated feedback, answers drafted by the applying setting's
// staff or an officer and published together, delivery and the two checks. Below it, the
// application's own discussion, open to whoever may see the application.

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const applicationId = parseId(params.applicationId);
	depends(`pcfapplication:${applicationId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, pcfApplicationRoom(applicationId));
	const advice = await forPage(adviceFor(db, actor, { applicationId }));
	return {
		...advice,
		liveSeq,
		...(await discussionOnPage(db, actor, 'capital_application', applicationId, url, depends)),
		themes: await themeList(db),
		done: ownValue(ADVICE_DONE, url.searchParams.get('done')) ?? null
	};
};

export const actions: Actions = {
	...discussionActions('capital_application', 'applicationId'),
	...adviceActions<{ applicationId: string }>(
		(params) => ({ applicationId: parseId(params.applicationId) }),
		(params) => `/pcf/applications/${params.applicationId}`
	)
};
