import { z } from 'zod';
import { ANSWERS, EDITION_APPROVALS, EDITION_INTRODUCTION_MAX, EDITION_TITLE_MAX, CONSULTATION_BODY_MAX, CONSULTATION_LABELS, CONSULTATION_TITLE_MAX, COPRODUCTION_STAGES, EVIDENCE_MAX, STEERING_DECISION_MAX, FEEDBACK_SOURCES, POINT_MAX, STANCES, SUMMARY_MAX, THEME_NAME_MAX } from '$lib/pcf/model';
import { EMAIL_MAX_LENGTH, REASON_MAX_LENGTH } from './limits';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { ukDate } from './dates';

// PCF advice's input, shared by forms, the API and tests. Each refusal is a field error in words
// for people; dates in the past (when feedback was heard, when the group agreed) are checked
// against today by the command.

const id = whole(idSchema());
const version = whole(versionSchema());
const text = (max: number, label: string) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const pointText = text(POINT_MAX, 'The point').min(1, 'Write the point');
const themeIds = z.array(id).max(10, 'Choose up to 10 themes').default([]);
const pastDate = (label: string) => ukDate(label, { withinYears: 1 });
/** The proposal advised on: a bid, a consultation, a whole funding round or an inclusion-base application, exactly one. */
const proposal = { bidId: id.optional(), consultationId: id.optional(), roundId: id.optional(), applicationId: id.optional() };
const oneProposal = <T extends { bidId?: number; consultationId?: number; roundId?: number; applicationId?: number }>(value: T) =>
	[value.bidId, value.consultationId, value.roundId, value.applicationId].filter((v) => v !== undefined).length === 1;
const oneProposalError = { message: 'Say which bid, consultation, funding round or application this is about', path: ['bidId'] };

/** The watch list holds bids, consultations and inclusion-base applications (a round is answered as a whole, not watched). */
export const watchSchema = z
	.object({ districtId: id, bidId: id.optional(), consultationId: id.optional(), applicationId: id.optional(), watch: z.boolean() })
	.refine((value) => [value.bidId, value.consultationId, value.applicationId].filter((v) => v !== undefined).length === 1, {
		message: 'Say which bid, consultation or application this is about',
		path: ['bidId']
	});


export const setLeadSchema = z.object({ districtId: id, version, leadUserId: id.nullable(), answerWithinDays: whole(z.number().int().min(1, 'Allow at least 1 working day').max(120, 'Allow at most 120 working days')) });

/** A district's rule for consultation closing dates, changed by an officer saying why. */
export const consultationRuleSchema = z.object({
	districtId: id,
	version,
	minDays: whole(z.number({ error: 'Enter the minimum period as a number of working days' }).int('Enter a whole number of working days').min(1, 'Allow at least 1 working day').max(120, 'Allow at most 120 working days')),
	avoidHolidays: z.enum(['yes', 'no'], { error: 'Say whether a consultation may close in a school holiday' }).transform((value) => value === 'yes'),
	reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the rule changes')
});

export const positionSchema = z
	.object({
		...proposal,
		version,
		stance: z.enum(STANCES, { error: 'Choose the group’s position' }),
		summary: text(SUMMARY_MAX, 'The summary')
	})
	.refine(oneProposal, oneProposalError);
export const addPointSchema = z.object({ ...proposal, body: pointText, themeIds }).refine(oneProposal, oneProposalError);
export const approveSchema = z
	.object({
		...proposal,
		version,
		agreedOn: pastDate('The date the group agreed it'),
		agreedWhere: text(200, 'Where it was agreed').min(1, 'Say where the group agreed it (a meeting, an email round)')
	})
	.refine(oneProposal, oneProposalError);
export const feedbackSchema = z.object({
	...proposal,
	source: z.enum(FEEDBACK_SOURCES, { error: 'Choose where the feedback came from' }),
	heardOn: pastDate('The date it was heard'),
	raisedCount: whole(z.number().int().min(1, 'At least 1 person raised it').max(100_000, 'Enter a number up to 100,000')),
	body: pointText,
	themeIds
}).refine(oneProposal, oneProposalError);

export const answerSchema = z.object({
	pointId: id,
	version,
	answer: z.enum(ANSWERS, { error: 'Choose an answer' }),
	text: text(POINT_MAX, 'The answer'),
	changeBy: z.union([z.literal(''), ukDate('The date the change will be made by', { withinYears: 3 })]).transform((v) => v || null)
});
export const publishAnswersSchema = z.object(proposal).refine(oneProposal, oneProposalError);
export const deliverSchema = z.object({
	pointId: id,
	version,
	deliveredOn: pastDate('The date it was delivered'),
	evidence: text(EVIDENCE_MAX, 'The evidence').min(1, 'Say what shows the change was made (a link, a document, a date it started)')
});
export const checkSchema = z.object({ pointId: id, version, as: z.enum(['officer', 'lead'], { error: 'Choose which check this is' }) });
export const withdrawSchema = z.object({ pointId: id, version, reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why it is withdrawn') });

export const themeSchema = z.object({
	listVersion: version,
	name: text(THEME_NAME_MAX, 'The theme’s name').min(1, 'Enter the theme’s name'),
	description: text(500, 'The description')
});

// --- Consultations ---

export const openConsultationSchema = z
	.object({
		clusterId: id,
		title: text(CONSULTATION_TITLE_MAX, 'The title').min(1, 'Enter the consultation’s title'),
		body: text(CONSULTATION_BODY_MAX, 'The text').min(1, 'Say what the consultation is about and what you are asking'),
		link: text(500, 'The link')
			.refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), 'Enter a link to the document starting https://')
			.transform((v) => v || null),
		label: z.enum(CONSULTATION_LABELS, { error: 'Choose what kind of consultation this is' }),
		statutoryRoute: text(500, 'The statutory route'),
		stage: z.enum(COPRODUCTION_STAGES, { error: 'Choose how early the forum is involved' }),
		closesOn: ukDate('The closing date', { withinYears: 2 }),
		/** A steering group decision item's meeting, where the group decides it (the command checks it is after the closing date). */
		meetingOn: ukDate('The meeting date', { withinYears: 2 }).optional()
	})
	.superRefine((value, ctx) => {
		if (value.label === 'formal' && !value.statutoryRoute) ctx.addIssue({ code: 'custom', path: ['statutoryRoute'], message: 'Say which statutory route this formal consultation follows' });
		if (value.label === 'steering_decision' && value.meetingOn === undefined) ctx.addIssue({ code: 'custom', path: ['meetingOn'], message: 'Enter the date of the steering group meeting that decides it' });
	})
	.transform((value) => ({
		...value,
		statutoryRoute: value.label === 'formal' ? value.statutoryRoute : null,
		meetingOn: value.label === 'steering_decision' ? (value.meetingOn ?? null) : null
	}));
export const extendConsultationSchema = z.object({
	consultationId: id,
	version,
	closesOn: ukDate('The new closing date', { withinYears: 2 }),
	reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the consultation is extended')
});
/** The steering group's decision on an item, recorded after its meeting by the item's owner or an officer. */
export const recordSteeringDecisionSchema = z.object({
	consultationId: id,
	version,
	decision: text(STEERING_DECISION_MAX, 'The decision').min(1, 'Say what the steering group decided'),
	adviceConsidered: text(STEERING_DECISION_MAX, 'How the advice was considered')
});
export const closeConsultationSchema = z.object({
	consultationId: id,
	version,
	reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the consultation is closed')
});

// --- "You said, we did" editions and families' subscriptions ---

const editionFields = {
	title: text(EDITION_TITLE_MAX, 'The title').min(1, 'Enter the edition’s title'),
	periodFrom: ukDate('The start of the period', { withinYears: 3 }),
	periodTo: ukDate('The end of the period', { withinYears: 3 }),
	introduction: text(EDITION_INTRODUCTION_MAX, 'The introduction').min(1, 'Write an introduction in plain English')
};
const periodInOrder = <T extends { periodFrom: string; periodTo: string }>(value: T) => value.periodFrom <= value.periodTo;
const periodError = { message: 'The end of the period must be on or after its start', path: ['periodTo'] };
/** A new edition: a district's, or county-wide (no district). */
export const newEditionSchema = z.object({ districtId: id.nullable(), ...editionFields }).refine(periodInOrder, periodError);
export const saveEditionSchema = z.object({ editionId: id, version, ...editionFields }).refine(periodInOrder, periodError);
export const approveEditionSchema = z.object({ editionId: id, version, as: z.enum(EDITION_APPROVALS, { error: 'Choose which approval this is' }) });
/** A family's subscription: an address and a district, or none for every edition in the county. */
export const subscribeSchema = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.min(1, 'Enter your email address')
		.max(EMAIL_MAX_LENGTH, 'Email address must be 254 characters or fewer')
		.email('Enter an email address in the correct format, like name@example.com'),
	districtId: id.nullable()
});
