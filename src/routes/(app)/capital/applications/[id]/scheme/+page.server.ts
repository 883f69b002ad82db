import type { Actions, PageServerLoad } from './$types';
import { forPage, parseId } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { backToStage, openApplicationPage } from '../application-page.server';
import { addMilestone, completeMilestone, decideChange, issueAgreement, moveScheme, recordEia, recordFeasibility, recordStatutoryStep, reissueAgreement, schemePage, signAgreement } from '$lib/server/capital/scheme';
import { ownValue } from '$lib/schemas/common';

// A specialist scheme after approval in principle: the officers' feasibility (with change
// control), statutory steps, equalities impact assessment, funding agreement and milestones, the
// signatories' signatures, and the moves between stages. Plain forms, so it works without
// JavaScript; with it, a step taken by someone else reloads this page.

const DONE: Record<string, string> = {
	moved: 'The scheme has moved on.',
	feasibility: 'The feasibility is recorded.',
	changed: 'The feasibility is recorded. The change to the costed total waits for another officer’s decision.',
	decided: 'The change to the costed total is decided.',
	step: 'The statutory step is recorded.',
	eia: 'The equalities impact assessment is recorded.',
	issued: 'The funding agreement is issued. The settings’ headteachers have been told.',
	reissued: 'The funding agreement is reissued as a new version. The settings’ headteachers have been told that it needs signing again.',
	signed: 'Your signature is recorded on the funding agreement.',
	milestone: 'The milestone is added.',
	done: 'The milestone is recorded as done.'
};

export const load: PageServerLoad = async (event) => {
	const { actor, db, id, liveSeq } = await openApplicationPage(event);
	return { ...(await forPage(schemePage(db, actor, id))), liveSeq, done: ownValue(DONE, event.url.searchParams.get('done')) ?? null };
};

const back = backToStage('scheme');
const DATE_PARTS = (name: string) => [`${name}-day`, `${name}-month`, `${name}-year`];

export const actions: Actions = {
	move: formAction<{ version: number }, { id: string }>({
		form: 'move',
		fields: ['version', 'move', 'reason'],
		formFor: (values) => `move-${values.move}`,
		visible: (field, values) => (field === 'reason' ? `move-${values.move}-reason` : null),
		run: ({ db, actor, values, params }) => moveScheme(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'moved')
	}),
	feasibility: formAction<{ changeId: number | null }, { id: string }>({
		form: 'feasibility',
		fields: ['version', ...DATE_PARTS('surveyDoneOn'), 'costedTotalPence', 'contingencyPence', 'planningNeeded', 'reason'],
		visible: ['surveyDoneOn', 'costedTotalPence', 'contingencyPence', 'planningNeeded', 'reason'],
		run: ({ db, actor, values, data, params }) =>
			recordFeasibility(db, actor, { ...values, surveyDoneOn: datePartsOf((name) => textOf(data, name), 'surveyDoneOn'), applicationId: parseId(params.id) }),
		done: (result, { params }) => back(params, result.changeId === null ? 'feasibility' : 'changed')
	}),
	decide: formAction<{ version: number }, { id: string }>({
		form: 'decide',
		fields: ['changeId', 'decision', 'sourceId', 'year', 'reason'],
		visible: ['decision', 'sourceId', 'year', 'reason'],
		run: ({ db, actor, values, params }) => decideChange(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'decided')
	}),
	step: formAction<{ version: number }, { id: string }>({
		form: 'step',
		fields: ['step', 'status', ...DATE_PARTS('statusOn'), 'note'],
		formFor: (values) => `step-${values.step}`,
		visible: (field, values) => (['status', 'statusOn', 'note'].includes(field) ? `step-${values.step}-${field}` : null),
		run: ({ db, actor, values, data, params }) =>
			recordStatutoryStep(db, actor, { ...values, statusOn: datePartsOf((name) => textOf(data, name), 'statusOn'), applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'step')
	}),
	eia: formAction<{ version: number }, { id: string }>({
		form: 'eia',
		fields: [...DATE_PARTS('assessedOn'), 'summary'],
		visible: ['assessedOn', 'summary'],
		run: ({ db, actor, values, data, params }) => recordEia(db, actor, { ...values, assessedOn: datePartsOf((name) => textOf(data, name), 'assessedOn'), applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'eia')
	}),
	issue: formAction<{ agreementId: number }, { id: string }>({
		form: 'issue',
		fields: ['version', 'clawbackYears', 'conditions', 'reason'],
		visible: ['clawbackYears', 'conditions', 'reason'],
		run: ({ db, actor, values, params }) => issueAgreement(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'issued')
	}),
	reissue: formAction<{ agreementId: number }, { id: string }>({
		form: 'reissue',
		fields: ['version', 'clawbackYears', 'conditions', 'reason'],
		visible: ['clawbackYears', 'conditions', 'reason'],
		run: ({ db, actor, values, params }) => reissueAgreement(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'reissued')
	}),
	sign: formAction<{ signed: boolean }, { id: string }>({
		form: 'sign',
		fields: ['agreementId', 'settingId', 'capacity', 'signedForName'],
		formFor: (values) => `sign-${values.settingId}-${values.capacity}`,
		visible: (field, values) => (field === 'signedForName' ? `sign-${values.settingId}-${values.capacity}-signedForName` : null),
		run: ({ db, actor, values, params }) => signAgreement(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'signed')
	}),
	milestone: formAction<{ milestoneId: number }, { id: string }>({
		form: 'milestone',
		fields: ['title', ...DATE_PARTS('dueOn')],
		visible: ['title', 'dueOn'],
		run: ({ db, actor, values, data, params }) => addMilestone(db, actor, { ...values, dueOn: datePartsOf((name) => textOf(data, name), 'dueOn'), applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'milestone')
	}),
	done: formAction<{ version: number }, { id: string }>({
		form: 'done',
		fields: ['milestoneId', ...DATE_PARTS('doneOn')],
		formFor: (values) => `done-${values.milestoneId}`,
		visible: (field, values) => (field === 'doneOn' ? `done-${values.milestoneId}-doneOn` : null),
		run: ({ db, actor, values, data, params }) =>
			completeMilestone(db, actor, { ...values, doneOn: datePartsOf((name) => textOf(data, name), 'doneOn'), applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'done')
	})
};
