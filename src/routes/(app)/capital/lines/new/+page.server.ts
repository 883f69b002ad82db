import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { createLine, settingTypes } from '$lib/server/capital';
import { lineInput } from '../../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'capital.manage' });
	const { db } = await portal();
	return { settingTypes: await settingTypes(db) };
};

export const actions: Actions = {
	default: formAction({
		form: 'line',
		fields: ['name', 'process', 'allocationPence', 'maxPerBasePence', 'benchmarkPerPlacePence', 'standardBandPence', 'enhancedBandPence', 'enhancedSharePercent', 'placesMin', 'placesMax', 'plannedBases', 'plannedPlaces', 'placeDefinition', 'assumptions', 'reason'],
		run: ({ db, actor, values, data }) => createLine(db, actor, lineInput(values, data)),
		done: ({ id }) => `/capital/lines/${id}?done=added`
	})
};
