import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { lineForEdit, moveAllocation, programmeLines, settingTypes, updateLine } from '$lib/server/capital';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../../admin/forms.server';
import { lineInput } from '../../forms.server';

const DONE: Record<string, string> = { added: 'Line added.', changed: 'Line saved.', moved: 'Money moved.' };

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const id = parseId(params.id);
	const { db } = await portal();
	const seq = await currentSeq(db, programmeRoom);
	const { line, history } = await forPage(lineForEdit(db, actor, id));
	const [types, lines] = await Promise.all([settingTypes(db), programmeLines(db)]);
	return {
		line,
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
	move: formAction<unknown, { id: string }>({
		form: 'move',
		fields: ['toLineId', 'amountPence', 'reason', 'fromVersion'],
		visible: ['toLineId', 'amountPence', 'reason'],
		run: ({ db, actor, values, params }) =>
			moveAllocation(db, actor, { ...values, fromLineId: lineOf(params), toLineId: numberOf(values.toLineId), fromVersion: numberOf(values.fromVersion) }),
		done: (_, { params }) => `/capital/lines/${lineOf(params)}?done=moved`
	})
};
