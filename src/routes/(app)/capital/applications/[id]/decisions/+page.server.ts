import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../../admin/forms.server';
import { assessmentPageRooms, decideApplication, decisionsForPage } from '$lib/server/capital/assessment';
import { adviceOnApplication } from '$lib/server/pcf/advice-record';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.id);
	depends(`assessment:${id}`);
	const rooms = await assessmentPageRooms(db, actor, id);
	const page = await forPage(decisionsForPage(db, actor, id));
	// The forum's advice, for the officer deciding: a warning while points wait for answers.
	return { ...page, rooms, pcfAdvice: page.moves.length ? await adviceOnApplication(db, id) : null, done: ownValue({ decided: 'Decision recorded.' }, url.searchParams.get('done')) ?? null };
};

const idOf = (params: { id: string }) => parseId(params.id);

export const actions: Actions = {
	decide: formAction<unknown, { id: string }>({
		form: 'decide',
		fields: ['move', 'reason', 'version', 'adviceConsidered'],
		visible: ['move', 'reason', 'adviceConsidered'],
		run: ({ db, actor, values, params }) => decideApplication(db, actor, { ...values, applicationId: idOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/applications/${idOf(params)}/decisions?done=decided`
	})
};
