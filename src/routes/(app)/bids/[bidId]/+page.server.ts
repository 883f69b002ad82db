import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/rooms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { invalid } from '$lib/server/errors';
import { bidDetail } from '$lib/server/bids/queries';
import { clusterName } from '$lib/server/bids/pages';
import { addPartner, closeBid, confirmPledge, decideBid, endorseBid, fundBid, removePartner, updateMilestone, withdrawBid } from '$lib/server/bids/commands';
import { formAction, type FormContext } from '$lib/server/forms';
import { idFromText, ownValue } from '$lib/schemas/common';
import { isSectionOf } from '$lib/document';
import { bidDocument } from '$lib/bids/document';
import { pickerState } from '$lib/server/pickers';
import { adviceOnBid } from '$lib/server/pcf/advice-record';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';

// After a change the page redirects here with what was done, so a refresh never repeats it.
const DONE: Record<string, string> = {
	created: 'Bid started. Add partner settings and write each section; everyone in the bid sees changes as they are saved.',
	partnerAdded: 'Partner setting added. Its staff can now write the bid and pledge to the pool.',
	partnerRemoved: 'Partner setting removed, with its pledge.',
	pledgeConfirmed: 'Pledge confirmed.',
	submitted: 'Bid signed off and submitted. The cluster’s settings have been asked to endorse it.',
	endorsed: 'Your setting’s view has been recorded.',
	decided: 'Decision recorded. The bid’s writers have been told.',
	funded: 'Bid marked as funded.',
	closed: 'Bid closed.',
	withdrawn: 'Bid withdrawn.',
	milestone: 'Milestone update recorded.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	depends(`bid:${bidId}`); // live changes to this bid reload this load only
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const detail = await forPage(bidDetail(db, actor, bidId));
	const savedSection = url.searchParams.get('saved') ?? '';
	return {
		...detail,
		liveSeq,
		...(await discussionOnPage(db, actor, 'bid', bidId, url, depends)),
		// The forum's advice, for the officer deciding: a warning while points wait for answers.
		pcfAdvice: detail.can.decide ? await adviceOnBid(db, bidId) : null,
		clusterName: await clusterName(db, detail.bid.cluster_id),
		done: ownValue(DONE, url.searchParams.get('done')) ?? null,
		saved: isSectionOf(bidDocument, savedSection) ? savedSection : null,
		// "Remove" on a partner opens its check step (?remove=<setting id>); only a partner of this bid.
		removing: detail.partners.find((p) => p.id === idFromText(url.searchParams.get('remove')))?.id ?? null,
		// "Add a partner setting" is a search picker (`?partnerQuery=` without JavaScript), for the lead's staff only.
		partnerPicker:
			detail.can.managePartners && detail.bid.status === 'draft'
				? await pickerState(db, actor, 'setting', { query: url.searchParams.get('partnerQuery'), chosen: url.searchParams.get('settingId'), bidId })
				: null
	};
};

type BidContext = FormContext<{ bidId: string }>;
/** The posted fields with the bid from the address: what every bid command is given. */
const onBid = ({ params, values }: BidContext) => ({ ...values, bidId: parseId(params.bidId) });
const done = (what: keyof typeof DONE, anchor = '') => (_: unknown, { params }: BidContext) => `/bids/${params.bidId}?done=${what}${anchor}`;
/** One form per row (per setting, per milestone): its ids carry the row's id. */
const perRow = (form: string, field: string) => (values: Record<string, string>) => `${form}-${/^\d+$/.test(values[field]) ? values[field] : 'x'}`;

/** Fund, close or withdraw: one status change with a note, against the version the person saw. */
const statusStep = (form: string, command: typeof fundBid, what: keyof typeof DONE, confirm?: string) =>
	formAction({
		form,
		fields: ['version', 'reason'],
		visible: ['reason'],
		confirm,
		run: (context: BidContext) => command(context.db, context.actor, onBid(context)),
		done: done(what)
	});

export const actions: Actions = {
	...discussionActions('bid', 'bidId'),
	addPartner: formAction({
		form: 'partner',
		fields: ['settingId'],
		run: (context) => {
			if (context.values.settingId === '') throw invalid('Choose a setting to add', { settingId: ['Choose a setting to add'] });
			return addPartner(context.db, context.actor, onBid(context));
		},
		done: done('partnerAdded', '#partners-heading')
	}),
	removePartner: formAction({
		form: 'removePartner',
		fields: ['settingId'],
		visible: [],
		confirm: 'remove this setting and its pledge from the bid',
		run: (context) => removePartner(context.db, context.actor, onBid(context)),
		done: done('partnerRemoved', '#partners-heading')
	}),
	confirmPledge: formAction({
		form: 'confirmPledge',
		fields: ['settingId', 'sectionVersion'],
		visible: [],
		run: (context) => confirmPledge(context.db, context.actor, onBid(context)),
		done: done('pledgeConfirmed', '#partners-heading')
	}),
	endorse: formAction({
		form: 'endorse',
		formFor: perRow('endorse', 'settingId'),
		fields: ['settingId', 'submissionNo', 'decision', 'reason'],
		visible: ['decision', 'reason'],
		run: (context) => endorseBid(context.db, context.actor, { ...onBid(context), decision: context.values.decision || undefined }),
		done: done('endorsed', '#endorsement-heading')
	}),
	decide: formAction({
		form: 'decide',
		fields: ['version', 'decision', 'amountPence', 'conditions', 'reason', 'adviceConsidered'],
		visible: ['decision', 'amountPence', 'conditions', 'reason', 'adviceConsidered'],
		run: (context) => decideBid(context.db, context.actor, { ...onBid(context), decision: context.values.decision || undefined }),
		done: done('decided')
	}),
	fund: statusStep('fund', fundBid, 'funded'),
	// Closing and withdrawing cannot be undone, so the person ticks a check step first.
	close: statusStep('close', closeBid, 'closed', 'close the bid'),
	withdraw: statusStep('withdraw', withdrawBid, 'withdrawn', 'withdraw the bid'),
	milestone: formAction({
		form: 'milestone',
		formFor: perRow('milestone', 'milestoneId'),
		fields: ['milestoneId', 'progress', 'note'],
		visible: ['progress', 'note'],
		run: (context) => updateMilestone(context.db, context.actor, { ...onBid(context), progress: context.values.progress || undefined }),
		done: done('milestone', '#progress-heading')
	})
};
