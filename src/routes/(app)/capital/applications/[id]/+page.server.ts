import type { Actions, PageServerLoad } from './$types';
import { forPage, parseId } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { openApplicationPage } from './application-page.server';
import { can } from '$lib/server/policy';
import { loadAssessmentRef } from '$lib/server/capital/assessment';
import {
	loadApplicationRef,
	applicationDetail,
	askForInformation,
	decideRollout,
	signApplication,
	startAssessment,
	uploadEvidence,
	withdrawApplication
} from '$lib/server/capital/applications';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';
import { loadProposal } from '$lib/server/pcf/proposals';
import { adviceOnApplication } from '$lib/server/pcf/advice-record';
import type { ApplicationStage } from '$lib/capital/flow';

/** The stages where a scheme has its own page: approved in principle and after. */
const SCHEME_STAGES: readonly ApplicationStage[] = ['approved_in_principle', 'feasibility', 'statutory', 'agreement', 'in_delivery', 'open'];

// An application's overview: where it stands, the district's need figures, the task list with who
// is in each section, sign-off, evidence files (a multipart form, so it works without JavaScript),
// the moves this person may make and the timeline.

export const load: PageServerLoad = async (event) => {
	const { actor, db, id, liveSeq } = await openApplicationPage(event);
	const detail = await forPage(applicationDetail(db, actor, id));
	// The assessment's and the money's own pages, linked only for those the policy lets in.
	const assessed = await loadAssessmentRef(db, actor, id);
	const granted = await loadApplicationRef(db, id);
	const asProposal = await loadProposal(db, { applicationId: id });
	const related = {
		scores: can(actor, { action: 'capital.scores.view', application: assessed }).allowed,
		decisions: can(actor, { action: 'capital.decisions.view', application: assessed }).allowed,
		funding: can(actor, { action: 'capital.money.view' }).allowed,
		grant: granted !== null && granted.process === 'grant' && can(actor, { action: 'capital.grant.view', application: granted }).allowed,
		scheme: granted !== null && SCHEME_STAGES.includes(granted.stage) && can(actor, { action: 'capital.scheme.view', application: granted }).allowed,
		// The PCF advisory group's advice: for the district's group and officers from submission, and the applying settings' staff.
		pcfAdvice: can(actor, { action: 'pcf.advice.view', proposal: asProposal }).allowed
	};
	// The forum's advice, for the officer deciding a rollout school: a warning while points wait for answers.
	const pcfAdvice = detail.can.officer && detail.can.moves.some((m) => m === 'approve' || m === 'defer') ? await adviceOnApplication(db, id) : null;
	return { ...detail, related, pcfAdvice, liveSeq, ...(await discussionOnPage(db, actor, 'capital_application', id, event.url, event.depends)), done: event.url.searchParams.get('done') };
};

const back = (params: { id: string }, done: string) => `/capital/applications/${parseId(params.id)}?done=${done}`;

export const actions: Actions = {
	...discussionActions('capital_application', 'id'),
	sign: formAction({
		form: 'sign',
		fields: ['settingId', 'capacity', 'version', 'signedForName'],
		formFor: (values) => `sign-${values.settingId}-${values.capacity}`,
		visible: (field, values) => (field === 'signedForName' ? `sign-${values.settingId}-${values.capacity}-signedForName` : null),
		run: ({ db, actor, params, values }) => signApplication(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'signed')
	}),
	upload: formAction({
		form: 'upload',
		fields: ['description', 'sensitive'],
		visible: (field) => (field === 'file' ? 'upload-file' : field === 'description' ? 'upload-description' : null),
		run: async ({ db, actor, params, values, data }) => {
			const posted = data.get('file');
			const file = posted instanceof File && posted.size > 0 ? { name: posted.name, content: new Uint8Array(await posted.arrayBuffer()) } : posted instanceof File && posted.name ? { name: posted.name, content: new Uint8Array(0) } : null;
			return uploadEvidence(db, actor, { applicationId: parseId(params.id), description: values.description, sensitive: values.sensitive === 'yes' }, file);
		},
		done: (_, { params }) => back(params, 'uploaded')
	}),
	withdraw: formAction({
		form: 'withdraw',
		fields: ['reason'],
		run: ({ db, actor, params, values }) => withdrawApplication(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'withdrawn')
	}),
	ask: formAction({
		form: 'ask',
		fields: ['points'],
		run: ({ db, actor, params, values }) => askForInformation(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'asked')
	}),
	assess: formAction({
		form: 'assess',
		fields: ['reason'],
		run: ({ db, actor, params, values }) => startAssessment(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'assessing')
	}),
	rollout: formAction({
		form: 'rollout',
		fields: ['move', 'plannedYear', 'band', 'reason', 'adviceConsidered'],
		run: ({ db, actor, params, values }) => decideRollout(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'decided')
	})
};
