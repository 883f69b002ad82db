import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, forbiddenPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { idFromText } from '$lib/schemas/common';
import { CASES_KEY, districtCases, districtsRunBy, flaggedCaseCount } from '$lib/server/disputes';
import { can } from '$lib/server/policy';

// A district's dispute-resolution cases, for its SENDIASS officers: newest first, a page at a time.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const districts = districtsRunBy(actor);
	const districtId = idFromText(url.searchParams.get('district')) ?? districts[0]?.id;
	if (districtId === undefined) forbiddenPage('Only SENDIASS officers run the district dispute-resolution panels.');
	const { db } = await portal();
	const flaggedOnly = url.searchParams.get('flagged') === 'yes';
	const { district, page } = await forPage(districtCases(db, actor, districtId, readCursor(url.searchParams.get('page'), CASES_KEY), { flaggedOnly }));
	const reportsAllowed = can(actor, { action: 'disputes.reports.view', district }).allowed;
	const settingsAllowed = can(actor, { action: 'disputes.settings.manage', district }).allowed;
	const flagged = await flaggedCaseCount(db, district.id);
	return { district, districts, cases: page, reportsAllowed, settingsAllowed, flaggedOnly, flagged };
};
