import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { clusterRoom } from '$lib/live/events';
import { loadRoundRef } from '$lib/server/bids/access';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { roundDetail } from '$lib/server/bids/queries';
import { closeRound, createBid } from '$lib/server/bids/commands';
import { closeRoundSchema, createBidSchema } from '$lib/schemas/bids';
import { confirmedIn, textOf } from '$lib/server/forms';
import { domainRefusal, schemaRefusal, unconfirmed, wholeOf } from '../../bids/forms.server';
import { ownValue } from '$lib/schemas/common';

const DONE: Record<string, string> = {
	opened: 'Funding round opened. Settings in the cluster can now start bids.',
	closed: 'Funding round closed. No more bids can be started, submitted or decided in it.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const roundId = parseId(params.roundId);
	depends(`round:${roundId}`); // live changes to this round reload this load only
	// The round's cluster room number, read before the data so later commits are replayed.
	const ref = await forPage(loadRoundRef(db, roundId));
	const liveSeq = await currentSeq(db, clusterRoom(ref.clusterId));
	const detail = await forPage(roundDetail(db, actor, roundId));
	return { ...detail, liveSeq, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

export const actions: Actions = {
	startBid: async ({ locals, url, params, request }) => {
		const actor = requireActor(locals, url);
		const roundId = parseId(params.roundId);
		const form = await request.formData();
		const values = { leadSettingId: textOf(form, 'leadSettingId'), title: textOf(form, 'title') };
		const idFor = (field: string) => (field === 'title' || field === 'leadSettingId' ? `start-${field}` : null);
		const parsed = createBidSchema.safeParse({ roundId, leadSettingId: wholeOf(values.leadSettingId), title: values.title });
		if (!parsed.success) return schemaRefusal(400, 'startBid', parsed.error, values, idFor);
		const { db } = await portal();
		let bidId: number;
		try {
			bidId = await createBid(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'startBid', values, idFor);
		}
		redirect(303, `/bids/${bidId}?done=created`);
	},

	closeRound: async ({ locals, url, params, request }) => {
		const actor = requireActor(locals, url);
		const roundId = parseId(params.roundId);
		const form = await request.formData();
		const values = { reason: textOf(form, 'reason'), version: textOf(form, 'version') };
		const idFor = (field: string) => (field === 'reason' ? 'close-reason' : null);
		const parsed = closeRoundSchema.safeParse({ roundId, version: wholeOf(values.version), reason: values.reason });
		if (!parsed.success) return schemaRefusal(400, 'closeRound', parsed.error, values, idFor);
		if (!confirmedIn(form)) return unconfirmed('closeRound', 'close-confirm', 'close the round', values);
		const { db } = await portal();
		try {
			await closeRound(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'closeRound', values, idFor);
		}
		redirect(303, `/rounds/${roundId}?done=closed`);
	}
};
