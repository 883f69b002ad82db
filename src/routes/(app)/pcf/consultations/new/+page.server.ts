import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forbiddenPage, requireActor } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { workspacesToOpen } from '$lib/server/pcf/consultations';
import { openConsultation } from '$lib/server/pcf/commands';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const workspaces = await workspacesToOpen(db, actor);
	if (workspaces.length === 0) forbiddenPage('Only a council officer or a cluster lead can open a consultation.');
	return { workspaces };
};

export const actions: Actions = {
	default: formAction({
		form: 'new',
		fields: ['clusterId', 'title', 'body', 'link', 'label', 'statutoryRoute', 'stage', 'closesOn-day', 'closesOn-month', 'closesOn-year'],
		visible: ['clusterId', 'title', 'body', 'link', 'label', 'statutoryRoute', 'stage', 'closesOn'],
		run: ({ db, actor, values, data }) =>
			openConsultation(db, actor, {
				...values,
				label: values.label || undefined,
				stage: values.stage || undefined,
				closesOn: datePartsOf((field) => textOf(data, field), 'closesOn')
			}),
		done: ({ consultationId }) => `/pcf/consultations/${consultationId}?done=opened`
	})
};
