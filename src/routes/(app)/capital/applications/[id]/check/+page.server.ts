import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { applicationDetail, submitApplication } from '$lib/server/capital/applications';

// Check your answers, then submit: every section as it reads, what is still missing by section
// (each linking to where it is put right, signatures to the overview's sign-off), then submit.

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.id);
	depends(`application:${id}`);
	return forPage(applicationDetail(db, actor, id));
};

export const actions: Actions = {
	submit: formAction({
		form: 'submit',
		fields: ['version'],
		// What is missing is listed on this page by section; the error summary links to each.
		visible: (field) => (field === 'version' ? null : `missing-${field}`),
		run: ({ db, actor, params, values }) => submitApplication(db, actor, { applicationId: parseId(params.id), version: values.version }),
		done: (_, { params }) => `/capital/applications/${parseId(params.id)}?done=submitted`
	})
};
