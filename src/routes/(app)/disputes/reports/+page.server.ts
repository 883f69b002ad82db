import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction } from '$lib/server/forms';
import { forPage, requireActor } from '$lib/server/pages';
import { can } from '$lib/server/policy';
import { disputesReport, passDisputeTheme, reportDistricts, reportFiltersFrom, themeTargets } from '$lib/server/disputes';
import { districtFilterPicker } from '$lib/server/pickers';

// The panels' governance figures for a district and financial year: anonymised, suppressed
// counts with their charts; the filters are a plain GET form, so they work without JavaScript.
// The district's SENDIASS officers can pass a shown count on to the forum as an anonymised theme.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const report = await forPage((async () => disputesReport(db, actor, reportFiltersFrom(url.searchParams)))());
	const consultations = await themeTargets(db, actor, report.district.id);
	const themesAllowed = can(actor, { action: 'disputes.theme.pass', district: report.district }).allowed;
	// A SENDIASS officer chooses among their own districts; a council officer searches for one (England has hundreds).
	const choice = await reportDistricts(db, actor);
	const districtPicker = choice.search ? await districtFilterPicker(db, actor, url.searchParams, report.district.id) : null;
	return { report, districts: choice.districts, districtPicker, consultations, themesAllowed, done: url.searchParams.get('done') };
};

export const actions: Actions = {
	theme: formAction({
		form: 'theme',
		fields: ['districtId', 'year', 'category', 'quarter', 'consultationId'],
		visible: ['category', 'quarter', 'consultationId'],
		run: ({ db, actor, values }) => passDisputeTheme(db, actor, values),
		done: (result, { values }) => `/disputes/reports?district=${values.districtId}&year=${values.year}&done=${result.passed ? 'theme' : 'theme-again'}`
	})
};
