import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { createTarget } from '$lib/server/capital';
import { addingWithLines, targetInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => ({ lines: await addingWithLines(locals, url) });

export const actions: Actions = {
	default: formAction({
		form: 'target',
		fields: ['name', 'definition', 'baseline', 'baselineNote', 'reason'],
		run: ({ db, actor, values, data }) => createTarget(db, actor, targetInput(values, data)),
		done: ({ id }) => `/capital/targets/${id}?done=added`
	})
};
