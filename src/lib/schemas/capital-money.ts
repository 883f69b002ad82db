import { z } from 'zod';
import { COMMITMENT_KINDS, SCHOOL_TERMS } from '$lib/capital/money/model';
import { whole } from './bids';
import { boundedText as text, id, optionalReason, pastDate, positivePence, requiredReason as reason, version } from './capital-fields';

// The capital programme's money, shared by its commands, form actions and tests. Money arrives as
// pence (API) or pounds text (forms).

export const PUBLIC_NOTE_MAX = 1500;
export const SPEND_NOTE_MAX = 500;
export const OCCUPANCY_MAX = 1000;

const wholeIn = (label: string, min: number, max: number) =>
	whole(
		z
			.number({ error: `${label} must be a whole number` })
			.int(`${label} must be a whole number`)
			.min(min, `${label} must be ${min} or more`)
			.max(max, `${label} must be ${max.toLocaleString('en-GB')} or less`)
	);

export const commitFundingSchema = z.object({
	applicationId: id,
	kind: z.enum(COMMITMENT_KINDS, { error: 'Choose whether you are committing money or recording a plan' }),
	sourceId: id,
	year: wholeIn('Financial year', 2000, 2100),
	amountPence: positivePence('Amount'),
	reason: reason('Say why this money goes to the application (the decision it follows)')
});

export const proposeTransferSchema = z.object({
	fromLineId: id,
	toLineId: id,
	amountPence: positivePence('Amount to move'),
	reason: reason('Say why the money should move')
});

export const decideTransferSchema = z.object({
	transferId: id,
	version,
	decision: z.enum(['approve', 'reject'], { error: 'Choose whether to approve or turn down the move' }),
	reason: reason('Say why you approve or turn down the move')
});

export const recordSpendSchema = z.object({
	applicationId: id,
	amountPence: positivePence('Amount spent'),
	spentOn: pastDate('Date spent'),
	note: text(SPEND_NOTE_MAX, 'What it was spent on').min(1, 'Say what the money was spent on')
});

export const recordOccupancySchema = z.object({
	applicationId: id,
	year: wholeIn('Academic year', 2000, 2100),
	term: z.enum(SCHOOL_TERMS, { error: 'Choose the term' }),
	occupied: wholeIn('Occupied places', 0, OCCUPANCY_MAX)
});

export const publicNoteSchema = z.object({
	lineId: id,
	version: z.union([z.literal(''), z.null(), version]).transform((value) => (value === '' || value === null ? null : value)),
	parentsInvolved: text(PUBLIC_NOTE_MAX, 'How parents and the PCF were involved').min(1, 'Say how parents and the Parent Carer Forum were involved'),
	reason: optionalReason
});
