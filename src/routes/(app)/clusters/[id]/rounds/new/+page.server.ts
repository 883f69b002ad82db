import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forbiddenPage, forPage, parseId, requireActor } from '$lib/server/pages';
import { roundOpening } from '$lib/server/bids/pages';
import { openRound } from '$lib/server/bids/commands';
import { openRoundSchema } from '$lib/schemas/bids';
import type { Actor } from '$lib/server/auth/actor';
import { textOf } from '$lib/server/forms';
import { datePartsOf, partsFromIso, ukToday } from '$lib/dates';
import { domainRefusal, schemaRefusal, wholeOf } from '../../../../bids/forms.server';

const FIELDS = ['name', 'potPence', 'maxRequestPence', 'opensOn', 'closesOn', 'guidance', 'endorsementRule', 'endorsementValue'];
const DATE_FIELDS = ['opensOn', 'closesOn'];
// What is posted: each date as its day, month and year fields.
const POSTED = FIELDS.flatMap((field) => (DATE_FIELDS.includes(field) ? ['day', 'month', 'year'].map((part) => `${field}-${part}`) : [field]));
const idFor = (field: string) => (FIELDS.includes(field) ? `round-${field}` : null);

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
	default: async ({ locals, url, params, request }) => {
		const actor = requireActor(locals, url);
		const cluster = await allowedCluster(actor, parseId(params.id));
		const form = await request.formData();
		const values: Record<string, string> = Object.fromEntries(POSTED.map((field) => [field, textOf(form, field)]));
		const rule = values.endorsementRule;
		const parsed = openRoundSchema.safeParse({
			clusterId: cluster.id,
			name: values.name,
			potPence: values.potPence,
			maxRequestPence: values.maxRequestPence,
			opensOn: datePartsOf((name) => values[name] ?? '', 'opensOn'),
			closesOn: datePartsOf((name) => values[name] ?? '', 'closesOn'),
			guidance: values.guidance,
			endorsementRule: rule === '' ? undefined : rule,
			// A majority needs no number; the others read the one typed beside their option.
			endorsementValue: rule === 'majority' || values.endorsementValue.trim() === '' ? undefined : wholeOf(values.endorsementValue)
		});
		if (!parsed.success) return schemaRefusal(400, 'openRound', parsed.error, values, idFor);
		const { db } = await portal();
		let roundId: number;
		try {
			roundId = await openRound(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'openRound', values, idFor);
		}
		redirect(303, `/rounds/${roundId}?done=opened`);
	}
};
