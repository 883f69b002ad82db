import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forbiddenPage, forPage, parseId, requireActor } from '$lib/server/pages';
import { roundOpening } from '$lib/server/bids/pages';
import { openRound } from '$lib/server/bids/commands';
import type { Actor } from '$lib/server/auth/actor';
import { formAction } from '$lib/server/forms';
import { datePartsOf, partsFromIso, ukToday } from '$lib/dates';

const FIELDS = ['name', 'potPence', 'maxRequestPence', 'opensOn', 'closesOn', 'guidance', 'endorsementRule', 'endorsementValue'];
const DATE_FIELDS = ['opensOn', 'closesOn'];
// What is posted: each date as its day, month and year fields.
const POSTED = FIELDS.flatMap((field) => (DATE_FIELDS.includes(field) ? ['day', 'month', 'year'].map((part) => `${field}-${part}`) : [field]));

/** The cluster, or the 404 and 403 pages: only those the policy lets open a round get the form. */
async function allowedCluster(actor: Actor, clusterId: number) {
	const { db } = await portal();
	const opening = await forPage(roundOpening(db, actor, clusterId));
	if (!opening.decision.allowed) forbiddenPage(opening.decision.reason);
	return opening.cluster;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const cluster = await allowedCluster(actor, parseId(params.id));
	const today = ukToday();
	// GOV.UK's hint gives an example in the order the fields come: here, three months ahead.
	const example = new Date(`${today}T12:00:00Z`);
	example.setUTCMonth(example.getUTCMonth() + 3, 1);
	return { cluster, today: partsFromIso(today), example: partsFromIso(example.toISOString().slice(0, 10)) };
};

export const actions: Actions = {
	default: formAction<number, { id: string }>({
		form: 'round',
		fields: POSTED,
		visible: FIELDS,
		run: ({ db, actor, values, params }) =>
			openRound(db, actor, {
				...values,
				clusterId: parseId(params.id),
				opensOn: datePartsOf((name) => values[name] ?? '', 'opensOn'),
				closesOn: datePartsOf((name) => values[name] ?? '', 'closesOn'),
				endorsementRule: values.endorsementRule || undefined,
				// A majority needs no number; the others read the one typed beside their option.
				endorsementValue: values.endorsementRule === 'majority' || values.endorsementValue.trim() === '' ? undefined : values.endorsementValue
			}),
		done: (roundId) => `/rounds/${roundId}?done=opened`
	})
};
