import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { formAction } from '$lib/server/forms';
import { parseInput } from '$lib/server/input';
import { can } from '$lib/server/policy';
import { REGISTER_KEY, enrolSecondaries, registerPage } from '$lib/server/capital/applications';
import { registerFilterSchema } from '$lib/schemas/capital-applications';
import { districtFilterPicker } from '$lib/server/pickers';

// The secondary rollout register: every secondary on it from the start, by name, searched and
// filtered by district and status, a page at a time. Officers put the secondaries on it.

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const filter = await forPage(
		Promise.resolve().then(() =>
			parseInput(registerFilterSchema, {
				search: url.searchParams.get('search') ?? '',
				districtId: url.searchParams.get('district') ?? '',
				status: url.searchParams.get('status') ?? ''
			})
		)
	);
	const register = await forPage(registerPage(db, actor, filter, readCursor(url.searchParams.get('page'), REGISTER_KEY)));
	return { ...register, filter, districtPicker: await districtFilterPicker(db, actor, url.searchParams, filter.districtId), mayManage: can(actor, { action: 'capital.register.manage' }).allowed, added: url.searchParams.get('added') };
};

export const actions: Actions = {
	enrol: formAction({
		form: 'enrol',
		fields: ['lineId'],
		run: ({ db, actor, values }) => enrolSecondaries(db, actor, values),
		done: ({ added }) => `/capital/register?added=${added}`
	})
};
