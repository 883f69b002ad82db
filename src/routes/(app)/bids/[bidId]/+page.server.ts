import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { bidRoom } from '$lib/live/events';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { DomainError, httpStatus } from '$lib/server/errors';
import type { Actor } from '$lib/server/auth/actor';
import { bidDetail } from '$lib/server/bids/queries';
import { clusterName } from '$lib/server/bids/pages';
import {
	addPartner,
	confirmPledge,
	decideBid,
	endorseBid,
	moveBid,
	removePartner,
	saveSection,
	submitBid,
	updateMilestone
} from '$lib/server/bids/commands';
import {
	confirmPledgeSchema,
	decideSchema,
	endorseSchema,
	fundOrCloseSchema,
	milestoneUpdateSchema,
	partnerSchema,
	saveSectionSchema,
	submitBidSchema,
	withdrawBidSchema
} from '$lib/schemas/bids';
import { BID_SECTIONS, type BidSection } from '$lib/bids/model';
import { confirmedIn, textOf } from '$lib/server/forms';
import { domainRefusal, humanMessage, schemaRefusal, unconfirmed, wholeOf } from '../forms.server';
import { isOwnKey, ownValue } from '$lib/schemas/common';
import { sectionInput, valuesFromForm, type SectionRefusal, type SectionValues } from './sections';

// After a change the page redirects here with what was done, so a refresh never repeats it.
const DONE: Record<string, string> = {
	created: 'Bid started. Add partner settings and write each section; everyone in the bid sees changes as they are saved.',
	partnerAdded: 'Partner setting added. Its staff can now write the bid and pledge to the pool.',
	partnerRemoved: 'Partner setting removed, with its pledge.',
	pledgeConfirmed: 'Pledge confirmed.',
	submitted: 'Bid signed off and submitted. The cluster’s settings have been asked to endorse it.',
	endorsed: 'Your setting’s view has been recorded.',
	decided: 'Decision recorded. The bid’s writers have been told.',
	funded: 'Bid marked as funded.',
	closed: 'Bid closed.',
	withdrawn: 'Bid withdrawn.',
	milestone: 'Milestone update recorded.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const bidId = parseId(params.bidId);
	depends(`bid:${bidId}`); // live changes to this bid reload this load only
	// Read before the data, so whatever commits after it is replayed when the page connects.
	const liveSeq = await currentSeq(db, bidRoom(bidId));
	const detail = await forPage(bidDetail(db, actor, bidId));
	const savedSection = url.searchParams.get('saved') ?? '';
	return {
		...detail,
		liveSeq,
		clusterName: await clusterName(db, detail.bid.cluster_id),
		done: ownValue(DONE, url.searchParams.get('done')) ?? null,
		saved: isOwnKey(BID_SECTIONS, savedSection) ? savedSection : null
	};
};

/** The person, the bid id and the posted form: every action starts here. */
async function posted(locals: App.Locals, url: URL, params: { bidId: string }, request: Request) {
	const actor: Actor = requireActor(locals, url);
	const bidId = parseId(params.bidId);
	const form = await request.formData();
	const { db } = await portal();
	return { actor, bidId, form, db };
}

const done = (bidId: number, what: keyof typeof DONE, anchor = '') => redirect(303, `/bids/${bidId}?done=${what}${anchor}`);

export const actions: Actions = {
	/** One section, saved only if nobody else saved it since the writer loaded it. */
	saveSection: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const sectionName = textOf(form, 'section');
		if (!isOwnKey(BID_SECTIONS, sectionName)) return fail(400, { action: 'saveSection', message: 'This form is out of date. Reload the page and try again.', errors: {}, values: {}, conflict: false });
		const section: BidSection = sectionName;
		const version = wholeOf(textOf(form, 'version'));
		const yours = valuesFromForm(section, form);
		const input = sectionInput(section, yours);

		/** Refused: the writer's values go back to them, beside what is saved now. */
		const refuse = async (status: number, message: string, errors: Record<string, string[]>) => {
			const current = await forPage(bidDetail(db, actor, bidId));
			if (section === 'pledges') {
				const names = new Map(current.content.pledges.map((p) => [p.settingId, p.settingName]));
				for (const pledge of (yours as SectionValues<'pledges'>).pledges) pledge.settingName = names.get(pledge.settingId) ?? 'A setting';
			}
			const refusal: SectionRefusal = {
				action: 'saveSection',
				section,
				// After a clash the writer merges onto the other person's version; otherwise nothing moved.
				version: status === 409 ? (current.bid.section_versions[section] ?? 0) : Number.isNaN(version) ? 0 : version,
				conflict: status === 409,
				message,
				errors,
				values: {},
				yours
			};
			return fail(status, refusal);
		};

		const parsed = saveSectionSchema.safeParse({ bidId, section, version, content: input.content });
		if (!parsed.success) {
			const errors: Record<string, string[]> = {};
			let message = '';
			for (const issue of parsed.error.issues) {
				if (issue.path[0] !== 'content') {
					message ||= 'This form is out of date. Reload the page and try again.';
					continue;
				}
				const path = issue.path.slice(1);
				const id = input.fieldFor(path);
				(errors[id] ??= []).push(humanMessage(issue, String(path.at(-1) ?? '')));
			}
			return refuse(400, message, errors);
		}
		try {
			await saveSection(db, actor, parsed.data);
		} catch (caught) {
			if (!(caught instanceof DomainError) || caught.code === 'FORBIDDEN' || caught.code === 'NOT_FOUND') {
				return domainRefusal(caught, 'saveSection', {}, () => null);
			}
			const errors: Record<string, string[]> = {};
			for (const [field, messages] of Object.entries(caught.fieldErrors ?? {})) errors[input.fieldFor([field])] = messages;
			return refuse(httpStatus[caught.code], Object.keys(errors).length && caught.code !== 'CONFLICT' ? '' : caught.message, errors);
		}
		redirect(303, `/bids/${bidId}?saved=${section}#section-${section}`);
	},

	addPartner: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = { settingId: textOf(form, 'settingId') };
		const idFor = (field: string) => (field === 'settingId' ? 'partner-settingId' : null);
		if (values.settingId === '') {
			return fail(400, { action: 'addPartner', message: '', errors: { 'partner-settingId': ['Choose a setting to add'] }, values, conflict: false });
		}
		const parsed = partnerSchema.safeParse({ bidId, settingId: wholeOf(values.settingId) });
		if (!parsed.success) return schemaRefusal(400, 'addPartner', parsed.error, values, () => 'partner-settingId');
		try {
			await addPartner(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'addPartner', values, idFor);
		}
		done(bidId, 'partnerAdded', '#section-pledges');
	},

	removePartner: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = { settingId: textOf(form, 'settingId') };
		const parsed = partnerSchema.safeParse({ bidId, settingId: wholeOf(values.settingId) });
		if (!parsed.success) return schemaRefusal(400, 'removePartner', parsed.error, values, () => null);
		try {
			await removePartner(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'removePartner', values, () => null);
		}
		done(bidId, 'partnerRemoved', '#section-pledges');
	},

	confirmPledge: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = { settingId: textOf(form, 'settingId'), sectionVersion: textOf(form, 'sectionVersion') };
		const parsed = confirmPledgeSchema.safeParse({ bidId, settingId: wholeOf(values.settingId), sectionVersion: wholeOf(values.sectionVersion) });
		if (!parsed.success) return schemaRefusal(400, 'confirmPledge', parsed.error, values, () => null);
		try {
			await confirmPledge(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'confirmPledge', values, () => null);
		}
		done(bidId, 'pledgeConfirmed', '#section-pledges');
	},

	submit: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = { version: textOf(form, 'version'), declaration: textOf(form, 'declaration') };
		if (values.declaration !== 'yes') {
			return fail(400, {
				action: 'submit',
				message: '',
				errors: { 'submit-declaration': ['Confirm the declaration to sign off the bid'] },
				values,
				conflict: false
			});
		}
		const parsed = submitBidSchema.safeParse({ bidId, version: wholeOf(values.version) });
		if (!parsed.success) return schemaRefusal(400, 'submit', parsed.error, values, () => null);
		try {
			await submitBid(db, actor, parsed.data);
		} catch (caught) {
			// What is missing is listed by section; each links to its section of the page.
			return domainRefusal(caught, 'submit', values, (field) => (isOwnKey(BID_SECTIONS, field) ? `section-${field}` : null));
		}
		done(bidId, 'submitted');
	},

	endorse: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = {
			settingId: textOf(form, 'settingId'),
			submissionNo: textOf(form, 'submissionNo'),
			decision: textOf(form, 'decision'),
			reason: textOf(form, 'reason')
		};
		const prefix = `endorse-${/^\d+$/.test(values.settingId) ? values.settingId : 'x'}`;
		const idFor = (field: string) => (field === 'decision' || field === 'reason' ? `${prefix}-${field}` : null);
		const parsed = endorseSchema.safeParse({
			bidId,
			settingId: wholeOf(values.settingId),
			submissionNo: wholeOf(values.submissionNo),
			decision: values.decision || undefined,
			reason: values.reason
		});
		if (!parsed.success) return schemaRefusal(400, prefix, parsed.error, values, idFor);
		try {
			await endorseBid(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, prefix, values, idFor);
		}
		done(bidId, 'endorsed', '#endorsement-heading');
	},

	decide: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = {
			version: textOf(form, 'version'),
			decision: textOf(form, 'decision'),
			amountPence: textOf(form, 'amountPence'),
			conditions: textOf(form, 'conditions'),
			reason: textOf(form, 'reason')
		};
		const visible = ['decision', 'amountPence', 'conditions', 'reason'];
		const idFor = (field: string) => (visible.includes(field) ? `decide-${field}` : null);
		const version = wholeOf(values.version);
		const input =
			values.decision === 'approve'
				? { bidId, version, decision: 'approve', amountPence: values.amountPence, conditions: values.conditions, reason: values.reason }
				: { bidId, version, decision: values.decision || undefined, reason: values.reason };
		const parsed = decideSchema.safeParse(input);
		if (!parsed.success) return schemaRefusal(400, 'decide', parsed.error, values, idFor);
		try {
			await decideBid(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, 'decide', values, idFor);
		}
		done(bidId, 'decided');
	},

	fund: async (event) => move(event, 'fund'),
	close: async (event) => move(event, 'close'),
	withdraw: async (event) => move(event, 'withdraw'),

	milestone: async ({ locals, url, params, request }) => {
		const { actor, bidId, form, db } = await posted(locals, url, params, request);
		const values = { milestoneId: textOf(form, 'milestoneId'), progress: textOf(form, 'progress'), note: textOf(form, 'note') };
		const prefix = `milestone-${/^\d+$/.test(values.milestoneId) ? values.milestoneId : 'x'}`;
		const idFor = (field: string) => (field === 'progress' || field === 'note' ? `${prefix}-${field}` : null);
		const parsed = milestoneUpdateSchema.safeParse({
			bidId,
			milestoneId: wholeOf(values.milestoneId),
			progress: values.progress || undefined,
			note: values.note
		});
		if (!parsed.success) return schemaRefusal(400, prefix, parsed.error, values, idFor);
		try {
			await updateMilestone(db, actor, parsed.data);
		} catch (caught) {
			return domainRefusal(caught, prefix, values, idFor);
		}
		done(bidId, 'milestone', '#progress-heading');
	}
};

/** Fund, close or withdraw: one status change with a note, against the version the person saw. */
async function move(
	{ locals, url, params, request }: { locals: App.Locals; url: URL; params: { bidId: string }; request: Request },
	action: 'fund' | 'close' | 'withdraw'
) {
	const { actor, bidId, form, db } = await posted(locals, url, params, request);
	const values = { version: textOf(form, 'version'), reason: textOf(form, 'reason') };
	const idFor = (field: string) => (field === 'reason' ? `${action}-reason` : null);
	const schema = action === 'withdraw' ? withdrawBidSchema : fundOrCloseSchema;
	const parsed = schema.safeParse({ bidId, version: wholeOf(values.version), reason: values.reason });
	if (!parsed.success) return schemaRefusal(400, action, parsed.error, values, idFor);
	// Closing and withdrawing cannot be undone, so the person ticks a check step first.
	if (action !== 'fund' && !confirmedIn(form)) return unconfirmed(action, `${action}-confirm`, action === 'close' ? 'close the bid' : 'withdraw the bid', values);
	try {
		await moveBid(db, actor, parsed.data, action);
	} catch (caught) {
		return domainRefusal(caught, action, values, idFor);
	}
	done(bidId, action === 'fund' ? 'funded' : action === 'close' ? 'closed' : 'withdrawn');
}
