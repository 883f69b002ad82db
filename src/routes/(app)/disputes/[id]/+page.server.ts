import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { openCase, pollOfCase, recordAgreement } from '$lib/server/disputes';

// A case, at the level the policy allows: details for the district's SENDIASS officers (and the
// booked panel), status only for the setting's head and SENCO. Every look is logged.
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const view = await forPage(openCase(db, actor, parseId(params.id)));
	// The meeting poll's page asks the policy itself; only its link is shown here, to officers.
	const pollId = view.level === 'details' && view.manages ? await pollOfCase(db, view.id) : null;
	return { view, pollId, done: url.searchParams.get('done') };
};

export const actions: Actions = {
	agree: formAction({
		form: 'agreement',
		fields: ['caseId', 'party', 'version'],
		visible: [],
		run: ({ db, actor, values }) => recordAgreement(db, actor, values),
		done: (_, { values }) => `/disputes/${values.caseId}?done=agreed`
	})
};
