import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { activeDistricts, countyTree, createLocality } from '$lib/server/clusters';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';
import { formAction } from '$lib/server/forms';
import { numberOf } from '../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	const { db } = await portal();
	const [county, districtChoices] = await Promise.all([countyTree(db, readCursor(url.searchParams.get('page'), DISTRICT_KEY)), activeDistricts(db)]);
	return { ...county, districtChoices, preselectDistrict: url.searchParams.get('district') ?? '' };
};

export const actions: Actions = {
	create: formAction({
		form: 'create',
		fields: ['districtId', 'name', 'reason'],
		run: ({ db, actor, values }) => createLocality(db, actor, { ...values, districtId: numberOf(values.districtId) }),
		done: (created) => `/admin/clusters/${created.id}?done=created`
	})
};
