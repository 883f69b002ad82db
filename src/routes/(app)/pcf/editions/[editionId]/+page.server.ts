import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ownValue } from '$lib/schemas/common';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { editionPage } from '$lib/server/pcf/editions';
import { approveEdition, saveEdition } from '$lib/server/pcf/commands';

// One edition: co-edited by the forum and the council (a stale save is refused, naming who saved),
// approved by an officer and the PCF lead (each of the version they read), published by the second.

const DONE: Record<string, string> = {
	drafted: 'The edition is saved as a draft. An officer and the PCF lead each approve it before it is published.',
	saved: 'The edition is saved. Any approvals it had are needed again, for this version.',
	approved: 'Your approval is recorded. The edition is published once the other approval is given.',
	published: 'The edition is published on the public page, and families who asked for it have been emailed.'
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const page = await forPage(editionPage(db, actor, parseId(params.editionId)));
	return { ...page, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

const pageOf = (params: { editionId: string }) => `/pcf/editions/${params.editionId}`;

export const actions: Actions = {
	save: formAction({
		form: 'edit',
		fields: ['version', 'title', 'introduction', 'periodFrom-day', 'periodFrom-month', 'periodFrom-year', 'periodTo-day', 'periodTo-month', 'periodTo-year'],
		visible: ['title', 'introduction', 'periodFrom', 'periodTo'],
		run: ({ db, actor, values, data, params }) =>
			saveEdition(db, actor, {
				editionId: parseId(params.editionId),
				version: values.version,
				title: values.title,
				introduction: values.introduction,
				periodFrom: datePartsOf((field) => textOf(data, field), 'periodFrom'),
				periodTo: datePartsOf((field) => textOf(data, field), 'periodTo')
			}),
		done: (_, { params }) => `${pageOf(params)}?done=saved`
	}),
	approve: formAction({
		form: 'approve',
		fields: ['version', 'as'],
		visible: [],
		run: ({ db, actor, values, params }) => approveEdition(db, actor, { ...values, editionId: parseId(params.editionId) }),
		done: ({ published }, { params }) => `${pageOf(params)}?done=${published ? 'published' : 'approved'}`
	})
};
