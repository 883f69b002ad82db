import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { can } from '$lib/server/policy';
import { programmeLines, roundForPage, setCriteria, stepRound, updateRound } from '$lib/server/capital';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../admin/forms.server';
import { CRITERIA_ROWS, criteriaInput, roundInput } from '../../forms.server';

const DONE: Record<string, string> = {
	added: 'Round drafted. Add its criteria below.',
	changed: 'Round saved.',
	criteria: 'Criteria saved.',
	open: 'Round opened. Its criteria are published and can no longer change.',
	close: 'Round closed.'
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const id = parseId(params.id);
	const { db } = await portal();
	const page = await forPage(roundForPage(db, actor, id));
	const manage = can(actor, { action: 'capital.manage' }).allowed;
	const lines = manage ? (await programmeLines(db)).map((l) => ({ id: l.id, name: l.name })) : [];
	return { ...page, manage, allLines: lines, criteriaRows: CRITERIA_ROWS, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

const roundOf = (params: { id: string }) => parseId(params.id);
const criterionField = /^criteria\.(\d+)\.(name|description|weight)$/;

export const actions: Actions = {
	update: formAction<unknown, { id: string }>({
		form: 'round',
		fields: ['name', 'guidance', 'closesOn-day', 'closesOn-month', 'closesOn-year', 'version'],
		visible: (field) => (field === 'version' || field.startsWith('closesOn-') ? null : `round-${field}`),
		run: ({ db, actor, values, data, params }) => updateRound(db, actor, { ...roundInput(values, data), roundId: roundOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/rounds/${roundOf(params)}?done=changed`
	}),
	criteria: formAction<unknown, { id: string }>({
		form: 'criteria',
		fields: ['version', 'criterion-0-name', 'criterion-0-description', 'criterion-0-weight'],
		visible: (field) => {
			const match = criterionField.exec(field);
			if (match) return `criterion-${match[1]}-${match[2]}`;
			return field === 'criteria' ? 'criteria-list' : null;
		},
		run: ({ db, actor, values, data, params }) => setCriteria(db, actor, { roundId: roundOf(params), version: numberOf(values.version), criteria: criteriaInput(data) }),
		done: (_, { params }) => `/capital/rounds/${roundOf(params)}?done=criteria`
	}),
	step: formAction<{ status: string }, { id: string }>({
		form: 'step',
		fields: ['step', 'reason', 'version'],
		visible: ['reason'],
		run: ({ db, actor, values, params }) => stepRound(db, actor, { ...values, roundId: roundOf(params), version: numberOf(values.version) }),
		done: ({ status }, { params }) => `/capital/rounds/${roundOf(params)}?done=${status === 'open' ? 'open' : 'close'}`
	})
};
