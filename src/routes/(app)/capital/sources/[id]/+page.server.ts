import type { Actions, PageServerLoad } from './$types';
import { sourceForEdit, updateSource } from '$lib/server/capital';
import { editingWithLines, savingItem, sourceInput } from '../../forms.server';

export const load: PageServerLoad = editingWithLines('Funding source', sourceForEdit);

export const actions: Actions = {
	update: savingItem({
		form: 'source',
		fields: ['name', 'amountPence', 'status', 'notes', 'reason', 'version'],
		run: ({ db, actor, values, data }, sourceId, version) => updateSource(db, actor, { ...sourceInput(values, data), sourceId, version })
	})
};
