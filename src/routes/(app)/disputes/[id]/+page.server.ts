import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { openCase, recordAgreement } from '$lib/server/disputes';

// A case, at the level the policy allows: details for the district's SENDIASS officers (and the
// booked panel), status only for the setting's head and SENCO. Every look is logged.
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { view: await forPage(openCase(db, actor, parseId(params.id))), done: url.searchParams.get('done') };
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
