import { z } from 'zod';
import { GRANT_ENDINGS } from '$lib/capital/grant/model';
import { idSchema } from './common';
import { penceField, whole } from './bids';
import { adviceConsidered, boundedText as text, id, positivePence, requiredReason as reason, version } from './capital-fields';

// Early years grants after the decision: offering, accepting with the declaration, claiming with
// evidence, approving the claim, and withdrawing or recording a lapse. Money arrives as pence (API)
// or pounds text (forms).

export const CONDITIONS_MAX = 4000;
export const CLAIM_NOTE_MAX = 1000;

export const offerGrantSchema = z.object({
	applicationId: id,
	version,
	amountPence: positivePence('Grant amount'),
	sourceId: whole(idSchema('Choose the funding source')),
	year: whole(z.number({ error: 'Choose the financial year' }).int('Choose the financial year').min(2000, 'Choose the financial year').max(2100, 'Choose the financial year')),
	conditions: text(CONDITIONS_MAX, 'Conditions').min(1, 'Enter the conditions of the grant'),
	reason: reason('Say why the grant is offered (the assessment it follows)'),
	adviceConsidered
});

export const acceptGrantSchema = z.object({
	applicationId: id,
	offerId: id,
	letterVersion: whole(z.number().int().min(1)),
	otherAssistancePence: penceField('Other minimal financial assistance'),
	declare: z.unknown().refine((value) => value === true || value === 'yes', 'Confirm the subsidy-control declaration')
});

export const claimGrantSchema = z.object({
	applicationId: id,
	offerId: id,
	amountPence: positivePence('Amount claimed'),
	note: text(CLAIM_NOTE_MAX, 'What the money was spent on').min(1, 'Say what the money was spent on')
});

export const approveClaimSchema = z.object({
	applicationId: id,
	offerId: id,
	reason: reason('Say why the claim is approved (the evidence checked)')
});

export const endOfferSchema = z.object({
	applicationId: id,
	offerId: id,
	ending: z.enum(GRANT_ENDINGS, { error: 'Choose whether the offer is withdrawn or has lapsed' }),
	reason: reason('Say why the offer ends')
});
