import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/rooms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { bidDetail } from '$lib/server/bids/queries';
import { clusterName } from '$lib/server/bids/pages';
import { saveSection } from '$lib/server/bids/commands';
import { formAction, type FieldIds } from '$lib/server/forms';
import { refuseSection } from '$lib/server/document/form';
import { isSectionOf } from '$lib/document';
import { bidDocument } from '$lib/bids/document';
import type { BidSection } from '$lib/bids/model';
import { sectionInput, valuesFromForm, type SectionSaveRefusal } from '../../sections';

// One section of a bid, on a page of its own (the GOV.UK task-list pattern): read it, or write it
// and save against the section's version, back to the overview once saved.

/** The section the address names; any other word is a 404, as for a bid that does not exist. */
function sectionOf(param: string): BidSection {
	if (!isSectionOf(bidDocument, param)) error(404, { message: 'Page not found' });
	return param;
}

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	const section = sectionOf(params.section);
	depends(`bid:${bidId}`);
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const detail = await forPage(bidDetail(db, actor, bidId));
	return { ...detail, section, liveSeq, clusterName: await clusterName(db, detail.bid.cluster_id) };
};

/** The section's form read as the content a save carries, with the input id for each of its errors. */
function readSection(section: BidSection, data: FormData): { content: unknown; idFor: FieldIds } {
	const input = sectionInput(section, valuesFromForm(section, data));
	const path = (key: string) => key.replace(/^content\./, '').split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
	// Errors about the content land on its inputs; a stale version or id is said in the summary.
	return { content: input.content, idFor: (key) => (/^(bidId|section|version)$/.test(key) ? null : input.fieldFor(path(key))) };
}

export const actions: Actions = {
	/** The section, saved only if nobody else saved it since the writer loaded it. */
	save: formAction({
		form: 'save',
		fields: ['version'],
		visible: [],
		run: ({ db, actor, params, values, data }) => {
			const section = sectionOf(params.section);
			return saveSection(db, actor, { bidId: parseId(params.bidId), section, version: values.version, content: readSection(section, data).content });
		},
		// Refused: what was posted goes back (never lost), with the other writer's text after a clash.
		refuse: (caught, { params, values, data, form }) => {
			const section = sectionOf(params.section);
			const { status, data: refusal } = refuseSection(caught, form, values, readSection(section, data).idFor);
			const posted = Number(values.version);
			// After a clash the writer merges onto the other person's version; otherwise nothing moved.
			const version = refusal.sectionConflict?.version ?? (Number.isInteger(posted) && posted >= 0 ? posted : 0);
			const fields = [...data.entries()].flatMap(([name, value]): [string, string][] => (typeof value === 'string' ? [[name, value]] : []));
			return fail(status, { ...refusal, form: 'save', section, version, posted: fields } satisfies SectionSaveRefusal);
		},
		done: (_, { params }) => `/bids/${parseId(params.bidId)}?saved=${sectionOf(params.section)}`
	})
};
