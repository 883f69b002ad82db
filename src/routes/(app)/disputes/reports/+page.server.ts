import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { disputesReport, reportDistricts, reportFiltersFrom } from '$lib/server/disputes';

// The panels' governance figures for a district and financial year: anonymised, suppressed
// counts with their charts; the filters are a plain GET form, so they work without JavaScript.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const report = await forPage((async () => disputesReport(db, actor, reportFiltersFrom(url.searchParams)))());
	return { report, districts: await reportDistricts(db, actor) };
};
