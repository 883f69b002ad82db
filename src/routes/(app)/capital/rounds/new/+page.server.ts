import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { createRound } from '$lib/server/capital';
import { addingWithLines, roundInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => ({ lines: await addingWithLines(locals, url) });

export const actions: Actions = {
	default: formAction({
		form: 'round',
		fields: ['name', 'guidance', 'closesOn-day', 'closesOn-month', 'closesOn-year'],
		visible: (field) => (field.startsWith('closesOn-') ? null : `round-${field}`),
		run: ({ db, actor, values, data }) => createRound(db, actor, roundInput(values, data)),
		done: ({ id }) => `/capital/rounds/${id}?done=added`
	})
};
