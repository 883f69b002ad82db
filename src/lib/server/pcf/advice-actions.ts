import type { Action } from '@sveltejs/kit';
import { formAction, textOf, type FormContext } from '../forms';
import { datePartsOf } from '$lib/dates';
import { addFeedback, addPoint, answerPoint, approvePosition, checkPoint, deliverPoint, publishAnswers, savePosition, withdrawPoint } from './commands';

// The form actions of an advice page, one set for every kind of proposal: a bid's page names the
// bid, a consultation's page the consultation, an application's page the application. Each posts to a command that asks the policy.

export const ADVICE_DONE: Record<string, string> = {
	position: 'The group’s position was saved. The lead approves it once the group has agreed it.',
	point: 'The point was added.',
	approved: 'The position is now the group’s. Its owner has been told.',
	feedback: 'The feedback was added.',
	answered: 'The answer was saved as a draft. Publish the answers when they are all ready.',
	published: 'The answers were published. The forum has been told.',
	delivered: 'The change was marked as delivered.',
	checked: 'Your check was recorded.',
	withdrawn: 'The point was withdrawn from the public page.'
};

type Subject = { bidId: number } | { consultationId: number } | { roundId: number } | { applicationId: number };
const ids = (data: FormData, name: string) => data.getAll(name).map((v) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : Number.NaN));
const date = (data: FormData, name: string) => datePartsOf((field) => textOf(data, field), name);
/** One form per point: its ids carry the point's id. */
const perPoint = (form: string) => (values: Record<string, string>) => `${form}-${/^\d+$/.test(values.pointId) ? values.pointId : 'x'}`;

export function adviceActions<P extends Record<string, string>>(subjectOf: (params: P) => Subject, pageOf: (params: P) => string): Record<string, Action<P>> {
	type Context = FormContext<P>;
	const on = ({ params, values }: Context) => ({ ...values, ...subjectOf(params) });
	const done = (what: keyof typeof ADVICE_DONE) => (_: unknown, { params }: Context) => `${pageOf(params)}?done=${what}`;
	return {
		position: formAction({
			form: 'position',
			fields: ['version', 'stance', 'summary'],
			visible: ['stance', 'summary'],
			run: (c) => savePosition(c.db, c.actor, { ...on(c), stance: c.values.stance || undefined }),
			done: done('position')
		}),
		point: formAction({
			form: 'point',
			fields: ['body'],
			visible: ['body', 'themeIds'],
			run: (c) => addPoint(c.db, c.actor, { ...on(c), themeIds: ids(c.data, 'themeIds') }),
			done: done('point')
		}),
		approve: formAction({
			form: 'approve',
			fields: ['version', 'agreedWhere'],
			visible: ['agreedOn', 'agreedWhere'],
			run: (c) => approvePosition(c.db, c.actor, { ...on(c), agreedOn: date(c.data, 'agreedOn') }),
			done: done('approved')
		}),
		feedback: formAction({
			form: 'feedback',
			fields: ['source', 'raisedCount', 'body'],
			visible: ['source', 'heardOn', 'raisedCount', 'body', 'themeIds'],
			run: (c) => addFeedback(c.db, c.actor, { ...on(c), source: c.values.source || undefined, heardOn: date(c.data, 'heardOn'), themeIds: ids(c.data, 'themeIds') }),
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
		publish: formAction({ form: 'publish', fields: [], visible: [], run: (c) => publishAnswers(c.db, c.actor, subjectOf(c.params)), done: done('published') }),
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
}
