import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { can } from '$lib/server/policy';
import { roundsPage } from '$lib/server/capital';
import { idFromText } from '$lib/schemas/common';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	// Keyset paging: the rounds before this id, newest first. Anything that is not an id starts at the top.
	const before = idFromText(url.searchParams.get('before'));
	const page = await forPage(roundsPage(db, actor, before));
	return { ...page, firstPage: before === null, manage: can(actor, { action: 'capital.manage' }).allowed };
};
