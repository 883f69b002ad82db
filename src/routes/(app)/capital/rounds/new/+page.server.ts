import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { createRound, programmeLines } from '$lib/server/capital';
import { roundInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'capital.manage' });
	const { db } = await portal();
	return { lines: (await programmeLines(db)).map((l) => ({ id: l.id, name: l.name })) };
};

export const actions: Actions = {
	default: formAction({
		form: 'round',
		fields: ['name', 'guidance', 'closesOn-day', 'closesOn-month', 'closesOn-year'],
		visible: (field) => (field.startsWith('closesOn-') ? null : `round-${field}`),
		run: ({ db, actor, values, data }) => createRound(db, actor, roundInput(values, data)),
		done: ({ id }) => `/capital/rounds/${id}?done=added`
	})
};
