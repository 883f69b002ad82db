import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { formAction, refusalKeeping, textOf } from '$lib/server/forms';
import { pickerFrom } from '$lib/server/pickers';
import type { Database } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';
import { datePartsOf } from '$lib/dates';
import { EDITIONS_KEY, editionsFor } from '$lib/server/pcf/editions';
import { createEdition } from '$lib/server/pcf/commands';

// "You said, we did" editions the forum and the council co-edit: the list this person works on,
// and a form to draft a new one (a district's, or all of Oxfordshire's).

const FIELDS = ['districtId', 'title', 'introduction', 'periodFrom-day', 'periodFrom-month', 'periodFrom-year', 'periodTo-day', 'periodTo-month', 'periodTo-year'];

/**
 * "Who is it for?": a search for the district (England has hundreds), "All of Oxfordshire" offered
 * first. Searched without JavaScript by a GET to this page (`?districtQuery=…`, the other fields
 * riding along), or kept from a refused post.
 */
const forPicker = (db: Database, actor: Actor, fields: { get(name: string): FormDataEntryValue | null }) =>
	pickerFrom(db, actor, 'cluster', fields, { query: 'districtQuery', chosen: 'districtId', for: 'district' });

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [editions, picker] = await Promise.all([forPage(editionsFor(db, actor, readCursor(url.searchParams.get('page'), EDITIONS_KEY))), forPicker(db, actor, url.searchParams)]);
	// After a search without JavaScript, what was typed in the other fields, from the address.
	const typed = url.searchParams.has('districtQuery') ? Object.fromEntries(FIELDS.map((field) => [field, url.searchParams.get(field) ?? ''])) : null;
	return { editions, creating: { picker, typed } };
};

export const actions: Actions = {
	create: refusalKeeping(formAction({
		form: 'new',
		fields: FIELDS,
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
	}), async (event, posted) => {
		const { db } = await portal();
		return { createPicker: await forPicker(db, requireActor(event.locals, event.url), posted) };
	})
};
