import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { themeList, themeListVersion } from '$lib/server/pcf/queries';
import { addTheme, importThemes } from '$lib/server/pcf/commands';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'pcf.themes.manage' });
	const { db } = await portal();
	return { themes: await themeList(db, true), listVersion: await themeListVersion(db), done: url.searchParams.get('done') };
};

export const actions: Actions = {
	add: formAction({
		form: 'theme',
		fields: ['listVersion', 'name', 'description'],
		visible: ['name', 'description'],
		run: ({ db, actor, values }) => addTheme(db, actor, values),
		done: () => '/pcf/themes?done=added'
	}),
	import: formAction({
		form: 'import',
		fields: [],
		visible: ['file'],
		run: async ({ db, actor, data }) => {
			const file = data.get('file');
			const text = file instanceof File ? await file.slice(0, 200_001).text() : textOf(data, 'file');
			return importThemes(db, actor, text);
		},
		done: ({ added, updated }) => `/pcf/themes?done=imported-${added}-${updated}`
	})
};
