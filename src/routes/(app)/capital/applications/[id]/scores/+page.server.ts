import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { assessmentPageRooms, moderateScore, scoresForPage } from '$lib/server/capital/assessment';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.id);
	depends(`assessment:${id}`);
	const rooms = await assessmentPageRooms(db, actor, id);
	const page = await forPage(scoresForPage(db, actor, id));
	return { ...page, rooms, done: ownValue({ moderated: 'Moderated score recorded.' }, url.searchParams.get('done')) ?? null };
};

const idOf = (params: { id: string }) => parseId(params.id);

export const actions: Actions = {
	// One form per criterion, named by it, so errors show beside the right one.
	moderate: formAction<unknown, { id: string }>({
		form: 'moderate',
		fields: ['criterionId', 'score', 'rationale'],
		formFor: (values) => `moderate-${/^\d{1,10}$/.test(values.criterionId) ? values.criterionId : 'x'}`,
		visible: ['score', 'rationale'],
		run: ({ db, actor, values, params }) => moderateScore(db, actor, { ...values, applicationId: idOf(params) }),
		done: (_, { params }) => `/capital/applications/${idOf(params)}/scores?done=moderated`
	})
};
