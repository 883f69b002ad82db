import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { EDITIONS_KEY, editionDistricts, editionsFor } from '$lib/server/pcf/editions';
import { createEdition } from '$lib/server/pcf/commands';

// "You said, we did" editions the forum and the council co-edit: the list this person works on,
// and a form to draft a new one (a district's, or all of Oxfordshire's).

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [editions, districts] = await Promise.all([forPage(editionsFor(db, actor, readCursor(url.searchParams.get('page'), EDITIONS_KEY))), editionDistricts(db)]);
	return { editions, districts };
};

export const actions: Actions = {
	create: formAction({
		form: 'new',
		fields: ['districtId', 'title', 'introduction', 'periodFrom-day', 'periodFrom-month', 'periodFrom-year', 'periodTo-day', 'periodTo-month', 'periodTo-year'],
		visible: ['districtId', 'title', 'introduction', 'periodFrom', 'periodTo'],
		run: ({ db, actor, values, data }) =>
			createEdition(db, actor, {
				title: values.title,
				introduction: values.introduction,
				// "county": all of Oxfordshire; nothing chosen is refused by the schema.
				districtId: values.districtId === 'county' ? null : values.districtId,
				periodFrom: datePartsOf((field) => textOf(data, field), 'periodFrom'),
				periodTo: datePartsOf((field) => textOf(data, field), 'periodTo')
			}),
		done: ({ editionId }) => `/pcf/editions/${editionId}?done=drafted`
	})
};
