import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { createSource, programmeLines } from '$lib/server/capital';
import { sourceInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'capital.manage' });
	const { db } = await portal();
	return { lines: (await programmeLines(db)).map((l) => ({ id: l.id, name: l.name })) };
};

export const actions: Actions = {
	default: formAction({
		form: 'source',
		fields: ['name', 'amountPence', 'status', 'notes', 'reason'],
		run: ({ db, actor, values, data }) => createSource(db, actor, sourceInput(values, data)),
		done: ({ id }) => `/capital/sources/${id}?done=added`
	})
};
