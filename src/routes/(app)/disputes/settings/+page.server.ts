import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction } from '$lib/server/forms';
import { forPage, forbiddenPage, requireActor } from '$lib/server/pages';
import { idFromText } from '$lib/schemas/common';
import { DISPUTE_PERIOD_KEYS, OUTCOME_PERIOD_KEYS } from '$lib/schemas/disputes-settings';
import { addDisputeTerm, districtSettingsView, districtsRunBy, removeDisputeTerm, saveDisputePeriods } from '$lib/server/disputes';

// A district's dispute settings, for its SENDIASS officers: the targets and periods (saved against
// the version seen, with a reason), the term dates school days are counted in, and the history.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const districts = districtsRunBy(actor);
	const districtId = idFromText(url.searchParams.get('district')) ?? districts[0]?.id;
	if (districtId === undefined) forbiddenPage('Only SENDIASS officers keep the district dispute settings.');
	const { db } = await portal();
	const view = await forPage(districtSettingsView(db, actor, districtId));
	return { view, districts, done: url.searchParams.get('done') };
};

const PERIOD_FIELDS = [...DISPUTE_PERIOD_KEYS.map((key) => `periods.${key}`), ...OUTCOME_PERIOD_KEYS.map((key) => `outcomePeriods.${key}`)];
const periodsOf = (values: Record<string, string>, group: 'periods' | 'outcomePeriods', keys: readonly string[]) =>
	Object.fromEntries(keys.map((key) => [key, { count: values[`${group}.${key}.count`], unit: values[`${group}.${key}.unit`] }]));
const dateOf = (values: Record<string, string>, name: string) => {
	const [day, month, year] = ['day', 'month', 'year'].map((part) => values[`${name}-${part}`].trim());
	return day || month || year ? { day, month, year } : '';
};
const back = (districtId: string, done: string) => `/disputes/settings?district=${districtId}&done=${done}`;

export const actions: Actions = {
	periods: formAction({
		form: 'periods',
		fields: ['districtId', 'version', 'reason', ...PERIOD_FIELDS.flatMap((field) => [`${field}.count`, `${field}.unit`])],
		// Ids replace the dots with dashes: `periods-referralToMeeting-count`.
		visible: (field) => (field === 'reason' || field.startsWith('periods.') || field.startsWith('outcomePeriods.') ? `periods-${field.replaceAll('.', '-')}` : null),
		run: ({ db, actor, values }) =>
			saveDisputePeriods(db, actor, {
				districtId: values.districtId,
				version: values.version,
				reason: values.reason,
				periods: periodsOf(values, 'periods', DISPUTE_PERIOD_KEYS),
				outcomePeriods: periodsOf(values, 'outcomePeriods', OUTCOME_PERIOD_KEYS)
			}),
		done: (result, { values }) => back(values.districtId, result.changed ? 'periods' : 'unchanged')
	}),
	term: formAction({
		form: 'term',
		fields: ['districtId', 'reason', 'startsOn-day', 'startsOn-month', 'startsOn-year', 'endsOn-day', 'endsOn-month', 'endsOn-year'],
		visible: (field) => (['startsOn', 'endsOn', 'reason'].includes(field) ? `term-${field}` : null),
		run: ({ db, actor, values }) => addDisputeTerm(db, actor, { districtId: values.districtId, reason: values.reason, startsOn: dateOf(values, 'startsOn'), endsOn: dateOf(values, 'endsOn') }),
		done: (_, { values }) => back(values.districtId, 'term')
	}),
	removeTerm: formAction({
		form: 'removeTerm',
		fields: ['districtId', 'termId'],
		visible: [],
		run: ({ db, actor, values }) => removeDisputeTerm(db, actor, values),
		done: (_, { values }) => back(values.districtId, 'removed')
	})
};
