import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../../admin/forms.server';
import { assignAssessor, officerPicker, roundAssessors, setSpreadWidth } from '$lib/server/capital/assessment';

const DONE: Record<string, string> = { assigned: 'Assessor assigned.', already: 'That officer already assesses this line.', width: 'Moderation width saved.' };

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const roundId = parseId(params.id);
	const page = await forPage(roundAssessors(db, actor, roundId));
	const query = (url.searchParams.get('officerQuery') ?? '').slice(0, 100);
	const found = await officerPicker(db, actor, query);
	return { ...page, picker: { query, ...found, chosen: null }, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

const roundOf = (params: { id: string }) => parseId(params.id);

export const actions: Actions = {
	assign: formAction<{ added: boolean }, { id: string }>({
		form: 'assign',
		fields: ['lineId', 'userId'],
		run: ({ db, actor, values, params }) => assignAssessor(db, actor, { ...values, roundId: roundOf(params) }),
		done: ({ added }, { params }) => `/capital/assess/rounds/${roundOf(params)}?done=${added ? 'assigned' : 'already'}`
	}),
	width: formAction<unknown, { id: string }>({
		form: 'width',
		fields: ['width', 'version'],
		visible: ['width'],
		run: ({ db, actor, values, params }) => setSpreadWidth(db, actor, { ...values, roundId: roundOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/assess/rounds/${roundOf(params)}?done=width`
	})
};
