import { z } from 'zod';
import { STATUTORY_STEPS, STEP_STATUSES } from '$lib/capital/scheme/model';
import { idSchema } from './common';
import { penceField, whole } from './bids';
import { ukDate } from './dates';
import { boundedText as text, id, optionalReason as reasonText, pastDate, positivePence, requiredReason as reason, version } from './capital-fields';

// A specialist scheme after approval in principle: moves, feasibility with change control, the
// statutory steps, the equalities impact assessment, the funding agreement and its signatures,
// delivery milestones. Money arrives as pence (API) or pounds text (forms); dates as YYYY-MM-DD
// (API) or day, month and year (forms).

export const CONDITIONS_MAX = 4000;
export const EIA_SUMMARY_MAX = 4000;
export const STEP_NOTE_MAX = 1000;
export const MILESTONE_TITLE_MAX = 200;

const yesNo = (label: string) =>
	z.union([z.boolean(), z.enum(['yes', 'no'], { error: `Choose whether ${label}` })], { error: `Choose whether ${label}` }).transform((value) => value === true || value === 'yes');
const optionalId = (message: string) => z.union([z.literal('').transform(() => null), z.null(), whole(idSchema(message))]).default(null);

export const schemeMoveSchema = z.object({
	applicationId: id,
	version,
	move: z.enum(['start_feasibility', 'start_statutory', 'start_delivery', 'open'], { error: 'Choose what to record' }),
	reason: reasonText.default('')
});

export const feasibilitySchema = z.object({
	applicationId: id,
	version,
	surveyDoneOn: pastDate('Date of the site survey'),
	costedTotalPence: positivePence('Costed scheme total'),
	contingencyPence: penceField('Contingency'),
	planningNeeded: yesNo('planning permission is needed'),
	/** Needed when the costed total moves from the approved amount: it becomes the change request's reason. */
	reason: reasonText.default('')
});

export const decideChangeSchema = z.object({
	applicationId: id,
	changeId: id,
	decision: z.enum(['approve', 'reject'], { error: 'Choose whether to approve or turn down the change' }),
	/** For a rise beyond what is committed: the confirmed source and year the new money comes from. */
	sourceId: optionalId('Choose the funding source'),
	year: z.union([z.literal('').transform(() => null), z.null(), whole(z.number({ error: 'Choose the financial year' }).int().min(2000, 'Choose the financial year').max(2100, 'Choose the financial year'))]).default(null),
	reason: reason('Say why you approve or turn down the change')
});

export const statutoryStepSchema = z.object({
	applicationId: id,
	step: z.enum(STATUTORY_STEPS, { error: 'Choose the statutory step' }),
	status: z.enum(STEP_STATUSES, { error: 'Choose where the step stands' }),
	statusOn: pastDate('Date'),
	note: text(STEP_NOTE_MAX, 'Note').default('')
});

export const eiaSchema = z.object({
	applicationId: id,
	assessedOn: pastDate('Date of the assessment'),
	summary: text(EIA_SUMMARY_MAX, 'Summary').min(1, 'Summarise the equalities impact assessment: who is affected and how, and what the scheme does about it')
});

export const issueAgreementSchema = z.object({
	applicationId: id,
	version,
	clawbackYears: whole(z.number({ error: 'Enter the clawback period in years' }).int('Enter the clawback period in whole years').min(1, 'The clawback period must be at least 1 year').max(50, 'The clawback period must be 50 years or fewer')),
	conditions: text(CONDITIONS_MAX, 'Conditions').min(1, 'Enter the conditions of the agreement'),
	reason: reasonText.default('')
});

/** A new version of the agreement after an approved change altered its terms: the reason is required. */
export const reissueAgreementSchema = issueAgreementSchema.extend({ reason: reason('Say why the agreement is reissued') });

export const signAgreementSchema = z.object({
	applicationId: id,
	agreementId: id,
	settingId: id,
	capacity: z.enum(['headteacher', 'governing_body', 'trust', 'principal', 'owner_manager', 'childminder', 'landowner'], { error: 'Choose who is signing' }),
	/** For a body or landowner: who signed for it (the chair of governors, the trust's chief executive, the diocese). */
	signedForName: text(120, 'Name').default('')
});

export const addMilestoneSchema = z.object({
	applicationId: id,
	title: text(MILESTONE_TITLE_MAX, 'Milestone').min(1, 'Enter the milestone'),
	dueOn: ukDate('Due date', { withinYears: 10 })
});

export const completeMilestoneSchema = z.object({
	applicationId: id,
	milestoneId: id,
	doneOn: pastDate('Date done')
});
