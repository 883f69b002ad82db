import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { districtNeedsPage, updateDistrictNeed } from '$lib/server/capital/applications';
import { PRIMARY_NEEDS } from '$lib/capital/applications/model';
import { parseCursor, readCursor } from '$lib/server/paging';
import { DISTRICT_KEY } from '$lib/server/workspace/queries';

// The district need figures officers keep (applicants are shown them, never asked), with history:
// a page of districts at a time, by name.

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { ...(await forPage(districtNeedsPage(db, actor, readCursor(url.searchParams.get('page'), DISTRICT_KEY)))), saved: url.searchParams.get('saved') };
};

const NEEDS = Object.keys(PRIMARY_NEEDS);

function pageLink(text: string): boolean {
	try {
		return parseCursor(text, DISTRICT_KEY) !== null;
	} catch {
		return false;
	}
}
const FIGURES = ['forecastDemand', 'plannedPlaces', 'outOfArea', 'independent'];

export const actions: Actions = {
	save: formAction({
		form: 'need',
		fields: ['districtId', 'version', ...FIGURES, 'asOf', 'reason', ...NEEDS.map((n) => `need-${n}`)],
		formFor: (values) => `need-${values.districtId}`,
		visible: (field, values) => {
			const id = `need-${values.districtId}`;
			if (FIGURES.includes(field) || field === 'reason' || field === 'asOf') return `${id}-${field}`;
			if (field.startsWith('needMix.')) return `${id}-need-${field.slice('needMix.'.length)}`;
			return null;
		},
		run: ({ db, actor, values }) =>
			updateDistrictNeed(db, actor, {
				districtId: values.districtId,
				version: values.version,
				forecastDemand: values.forecastDemand,
				plannedPlaces: values.plannedPlaces,
				outOfArea: values.outOfArea,
				independent: values.independent,
				asOf: values.asOf,
				reason: values.reason,
				needMix: Object.fromEntries(NEEDS.flatMap((n) => (values[`need-${n}`] ? [[n, values[`need-${n}`]]] : [])))
			}),
		// Back to the page of districts the form was on (its address carries it; the first, if that is not a page link).
		done: (_, { values, url }) => {
			const page = url.searchParams.get('page') ?? '';
			return `/capital/needs?saved=${encodeURIComponent(values.districtId)}${pageLink(page) ? `&page=${encodeURIComponent(page)}` : ''}`;
		}
	})
};
