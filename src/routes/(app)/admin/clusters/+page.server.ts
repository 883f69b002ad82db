import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { countyTree, createLocality, type CreatedLocality } from '$lib/server/clusters';
import { textOf } from '$lib/server/forms';
import { numberOf, refuse } from './forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	const { db } = await portal();
	return { tree: await countyTree(db), preselectDistrict: url.searchParams.get('district') ?? '' };
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const actor = requireActor(locals, url);
		requirePermission(actor, { action: 'clusters.manage' });
		const form = await request.formData();
		const values = { districtId: textOf(form, 'districtId'), name: textOf(form, 'name'), reason: textOf(form, 'reason') };
		const { db } = await portal();
		let created: CreatedLocality;
		try {
			created = await createLocality(db, actor, { districtId: numberOf(values.districtId), name: values.name, reason: values.reason });
		} catch (caught) {
			return refuse(caught, 'create', values, ['districtId', 'name', 'reason']);
		}
		redirect(303, `/admin/clusters/${created.id}?done=created`);
	}
};
