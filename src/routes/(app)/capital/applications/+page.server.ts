import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { formAction } from '$lib/server/forms';
import { can } from '$lib/server/policy';
import { APPLICATIONS_KEY, applicationsPage, startApplication, startOptions } from '$lib/server/capital/applications';

// Inclusion-base applications a person may see, a page at a time, and starting one for a setting
// where they work, for an open round's line that takes that kind of setting.

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [page, options] = await forPage(Promise.all([applicationsPage(db, actor, readCursor(url.searchParams.get('page'), APPLICATIONS_KEY)), startOptions(db, actor)]));
	return { page, choices: options.choices, officer: can(actor, { action: 'capital.need.manage' }).allowed };
};

export const actions: Actions = {
	start: formAction({
		form: 'start',
		fields: ['choice', 'title'],
		visible: (field) => (field === 'title' ? 'start-title' : ['choice', 'roundId', 'lineId', 'settingId', 'coveredSettingIds'].includes(field) ? 'start-choice' : null),
		run: ({ db, actor, values }) => {
			// One radio names the round, the line and the setting together: "round:line:setting".
			const [roundId, lineId, settingId] = values.choice.split(':');
			return startApplication(db, actor, { roundId: roundId ?? '', lineId: lineId ?? '', settingId: settingId ?? '', title: values.title });
		},
		done: ({ id }) => `/capital/applications/${id}`
	})
};
