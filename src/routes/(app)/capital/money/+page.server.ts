import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { currentSeq } from '$lib/server/live/server';
import { programmeRoom } from '$lib/capital/live';
import { readCursor } from '$lib/server/paging';
import { MONEY_LIST_KEY, approvedApplicationsPage, decideTransfer, moneyOverview, proposeTransfer } from '$lib/server/capital/money';
import { ownValue } from '$lib/schemas/common';

const DONE: Record<string, string> = {
	proposed: 'Move proposed. Another officer must approve it before the money moves.',
	approved: 'Move approved. The lines’ allocations have changed.',
	rejected: 'Move turned down. The allocations are unchanged.'
};

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireActor(locals, url);
	depends('capital:money');
	const { db } = await portal();
	const seq = await currentSeq(db, programmeRoom);
	const [overview, approved] = await Promise.all([
		forPage(moneyOverview(db, actor, readCursor(url.searchParams.get('moves'), MONEY_LIST_KEY))),
		forPage(approvedApplicationsPage(db, actor, readCursor(url.searchParams.get('page'), MONEY_LIST_KEY)))
	]);
	return { ...overview, approved, actorId: actor.id, seq, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	propose: formAction({
		form: 'propose',
		fields: ['fromLineId', 'toLineId', 'amountPence', 'reason'],
		run: ({ db, actor, values }) => proposeTransfer(db, actor, values),
		done: () => '/capital/money?done=proposed'
	}),
	decide: formAction({
		form: 'decide',
		fields: ['transferId', 'version', 'decision', 'reason'],
		// One form per waiting move, so errors show beside the right one.
		formFor: (values) => `decide-${/^\d+$/.test(values.transferId) ? values.transferId : 'x'}`,
		visible: ['decision', 'reason'],
		run: ({ db, actor, values }) => decideTransfer(db, actor, values),
		done: (result) => `/capital/money?done=${result.status}`
	})
};
