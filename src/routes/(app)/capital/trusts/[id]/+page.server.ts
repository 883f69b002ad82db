import type { Actions, PageServerLoad } from './$types';
import { fail } from '@sveltejs/kit';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction, refuseForm } from '$lib/server/forms';
import { linkAcademy, trustForPage, unlinkAcademy } from '$lib/server/capital';
import { pickerFrom } from '$lib/server/pickers';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../admin/forms.server';
import type { Database } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';

// One academy trust, for officers: its academies, linking one (a search picker for the setting)
// and unlinking one (with why), and its history. Each change carries the trust's version seen.

/** The link form's setting picker: searched without JavaScript by a GET to this page, or kept from a refused post. */
const academyPicker = (db: Database, actor: Actor, fields: { get(name: string): FormDataEntryValue | null }) =>
	pickerFrom(db, actor, 'setting', fields, { query: 'settingQuery', chosen: 'settingId', for: 'trust' });

// After a change the page redirects here with what was done, so a refresh never repeats it.
const DONE: Record<string, string> = {
	added: 'Trust added. Link its academies below.',
	linked: 'Academy linked to the trust.',
	unlinked: 'Academy unlinked from the trust.'
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const trust = await forPage(trustForPage(db, actor, parseId(params.id)));
	return {
		...trust,
		picker: await academyPicker(db, actor, url.searchParams),
		reason: url.searchParams.get('reason') ?? '',
		done: ownValue(DONE, url.searchParams.get('done')) ?? null
	};
};

const trustOf = (params: { id: string }) => parseId(params.id);
const doneHere = (params: { id: string }, done: string) => `/capital/trusts/${trustOf(params)}?done=${done}`;

export const actions: Actions = {
	link: formAction<unknown, { id: string }>({
		form: 'link',
		fields: ['settingId', 'reason', 'version'],
		visible: ['settingId', 'reason'],
		run: ({ db, actor, values, params }) =>
			linkAcademy(db, actor, { trustId: trustOf(params), settingId: values.settingId, reason: values.reason, version: numberOf(values.version) }),
		done: (_, { params }) => doneHere(params, 'linked'),
		// A refused link keeps the academy chosen and the search in view.
		refuse: async (caught, { db, actor, data, form, values, idFor }) => {
			const refused = refuseForm(caught, form, values, idFor);
			return fail(refused.status, { ...refused.data, linkPicker: await academyPicker(db, actor, data) });
		}
	}),

	// Each academy has its own unlink form (`unlink-<settingId>`), so a refusal shows beside the right one.
	unlink: formAction<unknown, { id: string }>({
		form: 'unlink',
		formFor: (values) => (/^\d+$/.test(values.settingId) ? `unlink-${values.settingId}` : 'unlink'),
		fields: ['settingId', 'reason', 'version'],
		visible: ['reason'],
		run: ({ db, actor, values, params }) =>
			unlinkAcademy(db, actor, { trustId: trustOf(params), settingId: values.settingId, reason: values.reason, version: numberOf(values.version) }),
		done: (_, { params }) => doneHere(params, 'unlinked')
	})
};
