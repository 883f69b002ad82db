import type { Actions, PageServerLoad } from './$types';
import { forPage, parseId } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { backToStage, openApplicationPage } from '../application-page.server';
import { acceptGrant, approveClaim, claimGrant, endOffer, grantPage, offerGrant } from '$lib/server/capital/grant';
import { ownValue } from '$lib/schemas/common';
import { adviceOnApplication } from '$lib/server/pcf/advice-record';

// An early years grant after the decision: the officer's offer, the signatory's acceptance with
// the declaration, the setting's claim with evidence (a multipart form, so it works without
// JavaScript), another officer's approval, and withdrawing or recording a lapse.

const DONE: Record<string, string> = {
	offered: 'The grant is offered. The setting has been told.',
	accepted: 'The grant is accepted, with your declaration.',
	claimed: 'The claim is sent to the council with your evidence.',
	approved: 'The claim is approved: the spend is recorded and the base is open.',
	ended: 'The offer has ended and its money is released.'
};

export const load: PageServerLoad = async (event) => {
	const { actor, db, id, liveSeq } = await openApplicationPage(event);
	const page = await forPage(grantPage(db, actor, id));
	// The forum's advice, for the officer offering (the grant's decision): a warning while points wait for answers.
	return { ...page, pcfAdvice: page.may.offer ? await adviceOnApplication(db, id) : null, liveSeq, done: ownValue(DONE, event.url.searchParams.get('done')) ?? null };
};

const back = backToStage('grant');

export const actions: Actions = {
	offer: formAction<{ offerId: number }, { id: string }>({
		form: 'offer',
		fields: ['version', 'amountPence', 'sourceId', 'year', 'conditions', 'reason', 'adviceConsidered'],
		visible: ['amountPence', 'sourceId', 'year', 'conditions', 'reason', 'adviceConsidered'],
		run: ({ db, actor, values, params }) => offerGrant(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'offered')
	}),
	accept: formAction<{ version: number }, { id: string }>({
		form: 'accept',
		fields: ['offerId', 'letterVersion', 'otherAssistancePence', 'declare'],
		visible: ['otherAssistancePence', 'declare'],
		run: ({ db, actor, values, params }) => acceptGrant(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'accepted')
	}),
	claim: formAction<{ version: number }, { id: string }>({
		form: 'claim',
		fields: ['offerId', 'amountPence', 'note'],
		visible: ['amountPence', 'note', 'file'],
		run: async ({ db, actor, values, data, params }) => {
			const posted = data.get('file');
			const file = posted instanceof File && (posted.size > 0 || posted.name) ? { name: posted.name, content: new Uint8Array(await posted.arrayBuffer()) } : null;
			return claimGrant(db, actor, { ...values, applicationId: parseId(params.id) }, file);
		},
		done: (_, { params }) => back(params, 'claimed')
	}),
	approve: formAction<{ version: number }, { id: string }>({
		form: 'approve',
		fields: ['offerId', 'reason'],
		visible: ['reason'],
		run: ({ db, actor, values, params }) => approveClaim(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'approved')
	}),
	end: formAction<{ version: number }, { id: string }>({
		form: 'end',
		fields: ['offerId', 'ending', 'reason'],
		visible: ['ending', 'reason'],
		run: ({ db, actor, values, params }) => endOffer(db, actor, { ...values, applicationId: parseId(params.id) }),
		done: (_, { params }) => back(params, 'ended')
	})
};
