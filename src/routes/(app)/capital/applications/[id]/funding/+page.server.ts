import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { applicationFunding, commitFunding, recordOccupancy, recordSpend } from '$lib/server/capital/money';
import { ownValue } from '$lib/schemas/common';
import { datePartsOf } from '$lib/dates';

const DONE: Record<string, string> = {
	committed: 'Money committed.',
	planned: 'Plan recorded. It holds no money until it is committed.',
	spend: 'Spending recorded.',
	occupancy: 'Occupied places recorded.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	depends('capital:money');
	const id = parseId(params.id);
	const { db } = await portal();
	// The room's number before the read, so a change committed in between is replayed.
	const seq = await currentSeq(db, programmeRoom);
	return { ...(await forPage(applicationFunding(db, actor, id))), seq, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	commit: formAction<{ id: number }, { id: string }>({
		form: 'commit',
		fields: ['kind', 'sourceId', 'year', 'amountPence', 'reason'],
		run: ({ db, actor, values, params }) => commitFunding(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params, values }) => `/capital/applications/${parseId(params.id)}/funding?done=${values.kind === 'planned' ? 'planned' : 'committed'}`
	}),
	spend: formAction<{ id: number }, { id: string }>({
		form: 'spend',
		fields: ['amountPence', 'note', 'spentOn-day', 'spentOn-month', 'spentOn-year'],
		visible: (field) => (['amountPence', 'note', 'spentOn'].includes(field) ? `spend-${field}` : null),
		run: ({ db, actor, values, data, params }) =>
			recordSpend(db, actor, { amountPence: values.amountPence, note: values.note, spentOn: datePartsOf((name) => textOf(data, name), 'spentOn'), applicationId: parseId(params.id) }),
		done: (_, { params }) => `/capital/applications/${parseId(params.id)}/funding?done=spend`
	}),
	occupancy: formAction<{ applicationId: number }, { id: string }>({
		form: 'occupancy',
		fields: ['year', 'term', 'occupied'],
		run: ({ db, actor, values, params }) => recordOccupancy(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => `/capital/applications/${parseId(params.id)}/funding?done=occupancy`
	})
};
