import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { countyTree, createLocality } from '$lib/server/clusters';
import { formAction } from '$lib/server/forms';
import { numberOf } from '../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	const { db } = await portal();
	return { tree: await countyTree(db), preselectDistrict: url.searchParams.get('district') ?? '' };
};

export const actions: Actions = {
	create: formAction({
		form: 'create',
		fields: ['districtId', 'name', 'reason'],
		run: ({ db, actor, values }) => createLocality(db, actor, { ...values, districtId: numberOf(values.districtId) }),
		done: (created) => `/admin/clusters/${created.id}?done=created`
	})
};
