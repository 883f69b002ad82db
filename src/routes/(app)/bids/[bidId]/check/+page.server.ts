import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/rooms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { invalid } from '$lib/server/errors';
import { bidDetail } from '$lib/server/bids/queries';
import { clusterName } from '$lib/server/bids/pages';
import { submitBid } from '$lib/server/bids/commands';
import { formAction } from '$lib/server/forms';
import { isSectionOf } from '$lib/document';
import { bidDocument } from '$lib/bids/document';
import { missingId } from './missing';

// Check your answers, then sign off: the whole bid as its sections read, what is still missing
// (each item linking to its section's page), and the lead headteacher's declaration.

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	depends(`bid:${bidId}`);
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const detail = await forPage(bidDetail(db, actor, bidId));
	return { ...detail, liveSeq, clusterName: await clusterName(db, detail.bid.cluster_id) };
};

export const actions: Actions = {
	submit: formAction({
		form: 'submit',
		fields: ['version', 'declaration'],
		// What is missing is listed on this page by section; the error summary links to each.
		visible: (field) => (field === 'declaration' ? 'submit-declaration' : field === 'submission' || isSectionOf(bidDocument, field) ? missingId(field) : null),
		run: (context) => {
			const unsigned = 'Confirm the declaration to sign off the bid';
			if (context.values.declaration !== 'yes') throw invalid(unsigned, { declaration: [unsigned] });
			return submitBid(context.db, context.actor, { ...context.values, bidId: parseId(context.params.bidId) });
		},
		done: (_, { params }) => `/bids/${parseId(params.bidId)}?done=submitted`
	})
};
