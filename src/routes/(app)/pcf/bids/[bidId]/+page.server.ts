import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/rooms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction, textOf, type FormContext } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { ownValue } from '$lib/schemas/common';
import { adviceForBid, themeList } from '$lib/server/pcf/queries';
import { addFeedback, addPoint, answerPoint, approvePosition, checkPoint, deliverPoint, publishAnswers, savePosition, withdrawPoint } from '$lib/server/pcf/commands';

// One page per proposal for the forum's advice: its position and points, families' feedback,
// the answers (drafted, then published together), delivery, and the two checks before publication.

const DONE: Record<string, string> = {
	position: 'The group’s position was saved. The lead approves it once the group has agreed it.',
	point: 'The point was added.',
	approved: 'The position is now the group’s. The bid’s lead setting has been told.',
	feedback: 'The feedback was added.',
	answered: 'The answer was saved as a draft. Publish the answers when they are all ready.',
	published: 'The answers were published. The forum has been told.',
	delivered: 'The change was marked as delivered.',
	checked: 'Your check was recorded.',
	withdrawn: 'The point was withdrawn from the public page.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	depends(`bid:${bidId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const advice = await forPage(adviceForBid(db, actor, bidId));
	return { ...advice, liveSeq, themes: await themeList(db), done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

type Context = FormContext<{ bidId: string }>;
const onBid = ({ params, values }: Context) => ({ ...values, bidId: parseId(params.bidId) });
const ids = (data: FormData, name: string) => data.getAll(name).map((v) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : Number.NaN));
const date = (data: FormData, name: string) => datePartsOf((field) => textOf(data, field), name);
const done = (what: keyof typeof DONE) => (_: unknown, { params }: Context) => `/pcf/bids/${params.bidId}?done=${what}`;
/** One form per point: its ids carry the point's id. */
const perPoint = (form: string) => (values: Record<string, string>) => `${form}-${/^\d+$/.test(values.pointId) ? values.pointId : 'x'}`;

export const actions: Actions = {
	position: formAction({
		form: 'position',
		fields: ['version', 'stance', 'summary'],
		visible: ['stance', 'summary'],
		run: (c) => savePosition(c.db, c.actor, { ...onBid(c), stance: c.values.stance || undefined }),
		done: done('position')
	}),
	point: formAction({
		form: 'point',
		fields: ['body'],
		visible: ['body', 'themeIds'],
		run: (c) => addPoint(c.db, c.actor, { ...onBid(c), themeIds: ids(c.data, 'themeIds') }),
		done: done('point')
	}),
	approve: formAction({
		form: 'approve',
		fields: ['version', 'agreedWhere'],
		visible: ['agreedOn', 'agreedWhere'],
		run: (c) => approvePosition(c.db, c.actor, { ...onBid(c), agreedOn: date(c.data, 'agreedOn') }),
		done: done('approved')
	}),
	feedback: formAction({
		form: 'feedback',
		fields: ['source', 'raisedCount', 'body'],
		visible: ['source', 'heardOn', 'raisedCount', 'body', 'themeIds'],
		run: (c) => addFeedback(c.db, c.actor, { ...onBid(c), source: c.values.source || undefined, heardOn: date(c.data, 'heardOn'), themeIds: ids(c.data, 'themeIds') }),
		done: done('feedback')
	}),
	answer: formAction({
		form: 'answer',
		formFor: perPoint('answer'),
		fields: ['pointId', 'version', 'answer', 'text'],
		visible: ['answer', 'text', 'changeBy'],
		run: (c) => {
			const changeBy = date(c.data, 'changeBy');
			const blank = !changeBy.day.trim() && !changeBy.month.trim() && !changeBy.year.trim();
			return answerPoint(c.db, c.actor, { ...c.values, answer: c.values.answer || undefined, changeBy: blank ? '' : changeBy });
		},
		done: done('answered')
	}),
	publish: formAction({ form: 'publish', fields: [], visible: [], run: (c) => publishAnswers(c.db, c.actor, onBid(c)), done: done('published') }),
	deliver: formAction({
		form: 'deliver',
		formFor: perPoint('deliver'),
		fields: ['pointId', 'version', 'evidence'],
		visible: ['deliveredOn', 'evidence'],
		run: (c) => deliverPoint(c.db, c.actor, { ...c.values, deliveredOn: date(c.data, 'deliveredOn') }),
		done: done('delivered')
	}),
	check: formAction({
		form: 'check',
		formFor: perPoint('check'),
		fields: ['pointId', 'version', 'as'],
		visible: [],
		run: (c) => checkPoint(c.db, c.actor, c.values),
		done: done('checked')
	}),
	withdraw: formAction({
		form: 'withdraw',
		formFor: perPoint('withdraw'),
		fields: ['pointId', 'version', 'reason'],
		visible: ['reason'],
		run: (c) => withdrawPoint(c.db, c.actor, c.values),
		done: done('withdrawn')
	})
};
