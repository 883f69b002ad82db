import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../../admin/forms.server';
import { decideApplication, decisionsForPage } from '$lib/server/capital/assessment';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const page = await forPage(decisionsForPage(db, actor, parseId(params.id)));
	return { ...page, done: ownValue({ decided: 'Decision recorded.' }, url.searchParams.get('done')) ?? null };
};

const idOf = (params: { id: string }) => parseId(params.id);

export const actions: Actions = {
	decide: formAction<unknown, { id: string }>({
		form: 'decide',
		fields: ['move', 'reason', 'version'],
		visible: ['move', 'reason'],
		run: ({ db, actor, values, params }) => decideApplication(db, actor, { ...values, applicationId: idOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/applications/${idOf(params)}/decisions?done=decided`
	})
};
