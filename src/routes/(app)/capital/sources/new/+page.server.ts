import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { createSource } from '$lib/server/capital';
import { addingWithLines, sourceInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => ({ lines: await addingWithLines(locals, url) });

export const actions: Actions = {
	default: formAction({
		form: 'source',
		fields: ['name', 'amountPence', 'status', 'notes', 'reason'],
		run: ({ db, actor, values, data }) => createSource(db, actor, sourceInput(values, data)),
		done: ({ id }) => `/capital/sources/${id}?done=added`
	})
};
