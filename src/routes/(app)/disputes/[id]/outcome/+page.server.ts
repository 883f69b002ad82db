import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { addAction, completeAction, endCase, openOutcome, recordFeedback, recordMeeting, recordOutcome, setLegalHold } from '$lib/server/disputes';

// What happens after a case's panel meets: the outcome, the agreed actions, the escalation route,
// the follow-up, feedback, closing or withdrawing, and the legal hold, for the district's SENDIASS
// officers; the status and agreed actions alone for the setting's head and SENCO. Every look is logged.

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { view: await forPage(openOutcome(db, actor, parseId(params.id))), done: url.searchParams.get('done') };
};

const back = (caseId: string, done: string) => `/disputes/${caseId}/outcome?done=${done}`;
const dateOf = (values: Record<string, string>, name: string) => {
	const [day, month, year] = ['day', 'month', 'year'].map((part) => values[`${name}-${part}`].trim());
	return day || month || year ? { day, month, year } : '';
};

export const actions: Actions = {
	met: formAction({
		form: 'met',
		fields: ['caseId', 'version'],
		visible: [],
		run: ({ db, actor, values }) => recordMeeting(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'met')
	}),
	outcome: formAction({
		form: 'outcome',
		fields: ['caseId', 'version', 'result', 'summary'],
		visible: ['result', 'summary'],
		run: ({ db, actor, values }) => recordOutcome(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'outcome')
	}),
	action: formAction({
		form: 'action',
		fields: ['caseId', 'description', 'ownerKind', 'ownerUserId', 'dueOn-day', 'dueOn-month', 'dueOn-year'],
		visible: (field) => (field === 'dueOn' ? 'action-dueOn' : ['description', 'ownerKind', 'ownerUserId'].includes(field) ? `action-${field}` : null),
		run: ({ db, actor, values }) => addAction(db, actor, { ...values, dueOn: dateOf(values, 'dueOn') }),
		done: (_, { values }) => back(values.caseId, 'action')
	}),
	done: formAction({
		form: 'done',
		fields: ['caseId', 'actionId'],
		visible: [],
		run: ({ db, actor, values }) => completeAction(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'done')
	}),
	feedback: formAction({
		form: 'feedback',
		fields: ['caseId', 'party', 'rating', 'comment'],
		visible: ['party', 'rating', 'comment'],
		run: ({ db, actor, values }) => recordFeedback(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'feedback')
	}),
	end: formAction({
		form: 'end',
		fields: ['caseId', 'version', 'kind', 'reason'],
		visible: ['kind', 'reason'],
		run: ({ db, actor, values }) => endCase(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'ended')
	}),
	hold: formAction({
		form: 'hold',
		fields: ['caseId', 'version', 'hold', 'reason'],
		visible: ['hold', 'reason'],
		run: ({ db, actor, values }) => setLegalHold(db, actor, values),
		done: (_, { values }) => back(values.caseId, 'hold')
	})
};
