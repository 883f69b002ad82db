import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { programmeLines, sourceForEdit, updateSource } from '$lib/server/capital';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../admin/forms.server';
import { sourceInput } from '../../forms.server';

const DONE: Record<string, string> = { added: 'Funding source added.', changed: 'Funding source saved.' };

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const id = parseId(params.id);
	const { db } = await portal();
	const item = await forPage(sourceForEdit(db, actor, id));
	const lines = await programmeLines(db);
	return { ...item, lines: lines.map((l) => ({ id: l.id, name: l.name })), done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	update: formAction<unknown, { id: string }>({
		form: 'source',
		fields: ['name', 'amountPence', 'status', 'notes', 'reason', 'version'],
		visible: (field) => (field === 'version' ? null : `source-${field}`),
		run: ({ db, actor, values, data, params }) => updateSource(db, actor, { ...sourceInput(values, data), sourceId: parseId(params.id), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/sources/${parseId(params.id)}?done=changed`
	})
};
