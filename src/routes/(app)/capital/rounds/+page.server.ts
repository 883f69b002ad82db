import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { can } from '$lib/server/policy';
import { CAPITAL_ROUND_KEY, roundsPage } from '$lib/server/capital';
import { readCursor } from '$lib/server/paging';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const page = await forPage(roundsPage(db, actor, readCursor(url.searchParams.get('page'), CAPITAL_ROUND_KEY)));
	return { ...page, manage: can(actor, { action: 'capital.manage' }).allowed };
};
