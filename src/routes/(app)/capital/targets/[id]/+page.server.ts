import type { Actions, PageServerLoad } from './$types';
import { targetForEdit, updateTarget } from '$lib/server/capital';
import { editingWithLines, savingItem, targetInput } from '../../forms.server';

export const load: PageServerLoad = editingWithLines('Target', targetForEdit);

export const actions: Actions = {
	update: savingItem({
		form: 'target',
		fields: ['name', 'definition', 'baseline', 'baselineNote', 'reason', 'version'],
		run: ({ db, actor, values, data }, targetId, version) => updateTarget(db, actor, { ...targetInput(values, data), targetId, version })
	})
};
