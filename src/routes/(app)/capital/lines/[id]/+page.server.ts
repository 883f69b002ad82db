import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { lineForEdit, programmeLines, settingTypes, updateLine } from '$lib/server/capital';
import { proposeTransfer } from '$lib/server/capital/money';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../admin/forms.server';
import { lineInput } from '../../forms.server';

const DONE: Record<string, string> = { added: 'Line added.', changed: 'Line saved.', proposed: 'Move proposed. Another officer approves or turns it down on the money page; the allocations change only once it is approved.' };

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const id = parseId(params.id);
	const { db } = await portal();
	const seq = await currentSeq(db, programmeRoom);
	const { line, committed, history } = await forPage(lineForEdit(db, actor, id));
	const [types, lines] = await Promise.all([settingTypes(db), programmeLines(db)]);
	return {
		line,
		committed,
		history,
		seq,
		settingTypes: types,
		otherLines: lines.filter((l) => l.id !== id).map((l) => ({ id: l.id, name: l.name })),
		done: ownValue(DONE, url.searchParams.get('done')) ?? null
	};
};

const lineOf = (params: { id: string }) => parseId(params.id);

export const actions: Actions = {
	update: formAction<unknown, { id: string }>({
		form: 'line',
		fields: ['name', 'process', 'allocationPence', 'maxPerBasePence', 'benchmarkPerPlacePence', 'standardBandPence', 'enhancedBandPence', 'enhancedSharePercent', 'placesMin', 'placesMax', 'plannedBases', 'plannedPlaces', 'placeDefinition', 'assumptions', 'reason', 'version'],
		visible: (field) => (field === 'version' ? null : `line-${field}`),
		run: ({ db, actor, values, data, params }) => updateLine(db, actor, { ...lineInput(values, data), lineId: lineOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => `/capital/lines/${lineOf(params)}?done=changed`
	}),
	// Moving money is a proposal: a second officer approves it on the money page (decideTransfer).
	propose: formAction<unknown, { id: string }>({
		form: 'move',
		fields: ['toLineId', 'amountPence', 'reason'],
		visible: ['toLineId', 'amountPence', 'reason'],
		run: ({ db, actor, values, params }) => proposeTransfer(db, actor, { ...values, fromLineId: lineOf(params), toLineId: numberOf(values.toLineId) }),
		done: (_, { params }) => `/capital/lines/${lineOf(params)}?done=proposed`
	})
};
