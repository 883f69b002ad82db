import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { countyTree, createLocality } from '$lib/server/clusters';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';
import { readCursor } from '$lib/server/paging';
import { formAction, refusalKeeping } from '$lib/server/forms';
import { pickerFrom } from '$lib/server/pickers';
import type { Database } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';
import { numberOf } from '../forms.server';

/**
 * The create form's district picker (a search: England has hundreds of districts): searched
 * without JavaScript by a GET to this page (`?districtQuery=…`, the name and reason riding along),
 * chosen from a district's own "Create a locality cluster" link (`?districtId=…`), or kept from a
 * refused post.
 */
const districtPicker = (db: Database, actor: Actor, fields: { get(name: string): FormDataEntryValue | null }) =>
	pickerFrom(db, actor, 'cluster', fields, { query: 'districtQuery', chosen: 'districtId', for: 'createLocality' });

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	const { db } = await portal();
	const [county, picker] = await Promise.all([countyTree(db, readCursor(url.searchParams.get('page'), DISTRICT_KEY)), districtPicker(db, actor, url.searchParams)]);
	return { ...county, creating: { picker, name: url.searchParams.get('name') ?? '', reason: url.searchParams.get('reason') ?? '' } };
};

export const actions: Actions = {
	create: refusalKeeping(
		formAction({
			form: 'create',
			fields: ['districtId', 'name', 'reason'],
			run: ({ db, actor, values }) => createLocality(db, actor, { ...values, districtId: numberOf(values.districtId) }),
			done: (created) => `/admin/clusters/${created.id}?done=created`
		}),
		async (event, posted) => {
			const { db } = await portal();
			return { createPicker: await districtPicker(db, requireActor(event.locals, event.url), posted) };
		}
	)
};
