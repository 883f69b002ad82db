import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { ownValue } from '$lib/schemas/common';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { themeList } from '$lib/server/pcf/queries';
import { consultationPage } from '$lib/server/pcf/consultations';
import { ADVICE_DONE, adviceActions } from '$lib/server/pcf/advice-actions';
import { closeConsultation, extendConsultation, recordSteeringDecision } from '$lib/server/pcf/commands';
import { discussionActions, discussionOnPage } from '$lib/server/discussions';
import { currentSeq } from '$lib/server/live/server';
import { consultationRoom } from '$lib/pcf/live';

// A consultation: what it asks, its closing date (extended or closed by its owner or an officer,
// saying why), its timeline, the forum's advice on it with the same forms as a bid's, and its
// discussion. Live: the page reloads its data when the consultation or its advice changes.

const DONE: Record<string, string> = {
	...ADVICE_DONE,
	opened: 'The consultation is open. The district’s PCF advisory group has been told.',
	agenda: 'The decision is on the steering group’s agenda. The district’s PCF advisory group has been told and can advise until the closing date.',
	extended: 'The closing date was changed. The group has been told.',
	closed: 'The consultation was closed. The group has been told.',
	decided: 'The steering group’s decision was recorded. The PCF advisory group has been told.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const consultationId = parseId(params.consultationId);
	depends(`consultation:${consultationId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, consultationRoom(consultationId));
	const page = await forPage(consultationPage(db, actor, consultationId));
	return {
		...page,
		liveSeq,
		...(await discussionOnPage(db, actor, 'pcf_consultation', consultationId, url, depends)),
		advice: { ...page.advice, themes: await themeList(db) },
		done: ownValue(DONE, url.searchParams.get('done')) ?? null
	};
};

const pageOf = (params: { consultationId: string }) => `/pcf/consultations/${params.consultationId}`;

export const actions: Actions = {
	...discussionActions('pcf_consultation', 'consultationId'),
	...adviceActions<{ consultationId: string }>((params) => ({ consultationId: parseId(params.consultationId) }), pageOf),
	extend: formAction({
		form: 'extend',
		fields: ['version', 'reason'],
		visible: ['closesOn', 'reason'],
		run: ({ db, actor, values, data, params }) =>
			extendConsultation(db, actor, { ...values, consultationId: parseId(params.consultationId), closesOn: datePartsOf((field) => textOf(data, field), 'closesOn') }),
		done: (_, { params }) => `${pageOf(params)}?done=extended`
	}),
	decide: formAction({
		form: 'decide',
		fields: ['version', 'decision', 'adviceConsidered'],
		visible: ['decision', 'adviceConsidered'],
		run: ({ db, actor, values, params }) => recordSteeringDecision(db, actor, { ...values, consultationId: parseId(params.consultationId) }),
		done: (_, { params }) => `${pageOf(params)}?done=decided`
	}),
	close: formAction({
		form: 'close',
		fields: ['version', 'reason'],
		visible: ['reason'],
		run: ({ db, actor, values, params }) => closeConsultation(db, actor, { ...values, consultationId: parseId(params.consultationId) }),
		done: (_, { params }) => `${pageOf(params)}?done=closed`
	})
};
