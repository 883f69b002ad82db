import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { publicNotesForEdit } from '$lib/server/capital/dashboard';
import { savePublicNote } from '$lib/server/capital/money';
import { ownValue } from '$lib/schemas/common';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { notes: await forPage(publicNotesForEdit(db, actor)), done: ownValue({ saved: 'Saved. The published summary now says this.' }, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	save: formAction({
		form: 'note',
		fields: ['lineId', 'version', 'parentsInvolved', 'reason'],
		// One form per line, so errors show beside the right one.
		formFor: (values) => `note-${/^\d+$/.test(values.lineId) ? values.lineId : 'x'}`,
		visible: ['parentsInvolved', 'reason'],
		run: ({ db, actor, values }) => savePublicNote(db, actor, values),
		done: () => '/capital/dashboard/summary?done=saved'
	})
};
