import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction } from '$lib/server/forms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { openCase, openPoll } from '$lib/server/disputes';
import { forbidden } from '$lib/server/errors';

// Proposing the meeting's candidate slots: the family's and the school's availability first,
// then up to three slots (in person at a venue, or online with a link) and the closing date.

const SLOT_ROWS = 3;
const SLOT_FIELDS = ['date', 'time', 'minutes', 'mode', 'place'] as const;
const FIELDS = ['caseId', 'version', 'familyAvailability', 'schoolAvailability', 'closesOn', 'acceptWarnings', ...Array.from({ length: SLOT_ROWS }, (_, i) => SLOT_FIELDS.map((f) => `slot${i}-${f}`)).flat()];

function pollInput(values: Record<string, string>) {
	const slots = Array.from({ length: SLOT_ROWS }, (_, i) => Object.fromEntries(SLOT_FIELDS.map((f) => [f, values[`slot${i}-${f}`]])))
		// A row left blank is not a slot.
		.filter((slot) => SLOT_FIELDS.some((f) => f !== 'minutes' && f !== 'mode' && slot[f].trim() !== ''));
	return { ...values, slots };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const view = await forPage(openCase(db, actor, parseId(params.id)));
	if (view.level !== 'details' || !view.manages) return forPage(Promise.reject(forbidden('Only the district’s SENDIASS officers can schedule this case’s meeting.')));
	return { kase: { id: view.id, reference: view.reference, version: view.version, status: view.status, bothAgreed: Boolean(view.familyAgreedAt && view.settingAgreedAt) } };
};

export const actions: Actions = {
	default: formAction({
		form: 'poll',
		fields: FIELDS,
		visible: (field) => {
			const slot = /^slots\.(\d)\.(\w+)$/.exec(field) ?? /^slots\.(\d)$/.exec(field);
			if (slot) return `poll-slot${slot[1]}-${slot[2] ?? 'date'}`;
			return ['familyAvailability', 'schoolAvailability', 'closesOn', 'acceptWarnings'].includes(field) ? `poll-${field}` : null;
		},
		run: ({ db, actor, values }) => openPoll(db, actor, pollInput(values)),
		done: ({ pollId }) => `/disputes/polls/${pollId}?done=opened`
	})
};
