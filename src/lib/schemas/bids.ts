import { z } from 'zod';
import { BUDGET_CATEGORIES, ENDORSEMENT_RULES, INCLUSION_MEASURES, NEED_AREAS } from '$lib/bids/model';
import { MAX_PENCE, parsePounds } from '$lib/bids/rules';
import { PHASE_LABELS } from '$lib/roles';
import { REASON_MAX_LENGTH } from './limits';
import { BID_TEXT_MAX, BID_TITLE_MAX, BUDGET_LINES_MAX, COHORT_MAX, MILESTONES_MAX, STAFF_HOURS_MAX } from '$lib/bids/limits';
import { idSchema, textSchema, versionSchema, keysOf } from './common';
import { ukDate } from './dates';

/**
 * A whole number as the API sends it (a number) or a form posts it (its digits as text), checked
 * by `schema` either way; any other text becomes NaN, which `schema` refuses with its own message.
 */
export const whole = <S extends z.ZodType<number, number>>(schema: S) =>
	z
		.union([z.number(), z.string()])
		.transform((value) => (typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN))
		.pipe(schema);

const id = whole(idSchema());
const version = whole(versionSchema());

/**
 * Money arrives as pence (API) or as a pounds string (forms); both become whole pence. `label`
 * names the field in its messages ("Enter the pot").
 */
export const penceField = (label = 'Amount') =>
	z.union([
		z
			.number()
			.int(`${label} must be in whole pence`)
			.min(0, `${label} must be £0 or more`)
			.max(MAX_PENCE, `${label} must be £100,000,000 or less`),
		z.string().transform((value, ctx) => {
			const parsed = parsePounds(value, label);
			if (!parsed.ok) {
				ctx.addIssue({ code: 'custom', message: parsed.message });
				return z.NEVER;
			}
			return parsed.pence;
		})
	]);
export const pence = penceField();
const positivePence = (label: string) => penceField(label).refine((value) => value > 0, `${label} must be more than £0`);

const text = (max: number, label: string) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

// Rounds open today or later and run for at most two years; milestones fall in the next five years.
export const ROUND_OPENS_WITHIN_YEARS = 1;
export const ROUND_CLOSES_WITHIN_YEARS = 2;
export const MILESTONE_WITHIN_YEARS = 5;

// ---------- Rounds ----------

export const openRoundSchema = z
	.object({
		clusterId: id,
		name: text(120, 'Name').min(3, 'Enter a name for the round, like “Spring 2027 pooled fund”'),
		potPence: positivePence('Pot'),
		maxRequestPence: positivePence('Maximum request'),
		opensOn: ukDate('Opening date', { from: 'todayOrLater', withinYears: ROUND_OPENS_WITHIN_YEARS }),
		closesOn: ukDate('Closing date', { from: 'future', withinYears: ROUND_CLOSES_WITHIN_YEARS }),
		guidance: text(BID_TEXT_MAX, 'Guidance'),
		endorsementRule: z.enum(keysOf(ENDORSEMENT_RULES)),
		endorsementValue: whole(z.number().int().min(0).max(1000)).default(0)
	})
	.superRefine((round, ctx) => {
		if (round.maxRequestPence > round.potPence) {
			ctx.addIssue({ code: 'custom', path: ['maxRequestPence'], message: 'Maximum request cannot be more than the pot' });
		}
		if (round.closesOn <= round.opensOn) {
			ctx.addIssue({ code: 'custom', path: ['closesOn'], message: 'Closing date must be after the opening date' });
		}
		if (round.endorsementRule === 'percentage' && (round.endorsementValue < 1 || round.endorsementValue > 100)) {
			ctx.addIssue({ code: 'custom', path: ['endorsementValue'], message: 'Enter a percentage from 1 to 100' });
		}
		if (round.endorsementRule === 'count' && round.endorsementValue < 1) {
			ctx.addIssue({ code: 'custom', path: ['endorsementValue'], message: 'Enter how many settings must endorse, 1 or more' });
		}
	});
export type OpenRoundInput = z.infer<typeof openRoundSchema>;

export const roundRefSchema = z.object({ roundId: id });
export const closeRoundSchema = z.object({ roundId: id, version, reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the round is closing') });

// ---------- Bids ----------

export const createBidSchema = z.object({
	roundId: id,
	leadSettingId: id,
	title: text(BID_TITLE_MAX, 'Title').min(3, 'Enter a title for the bid')
});

export const bidRefSchema = z.object({ bidId: id });

/** Each section is saved on its own, carrying the version the writer started from. */
export const sectionSchemas = {
	overview: z.object({
		title: text(BID_TITLE_MAX, 'Title').min(3, 'Enter a title for the bid'),
		summary: text(BID_TEXT_MAX, 'Summary')
	}),
	need: z.object({
		needs: z.array(z.enum(keysOf(NEED_AREAS))).max(4),
		phases: z.array(z.enum(keysOf(PHASE_LABELS))).max(7),
		cohortSize: whole(
			z
				.number({ error: 'Enter the cohort size as a whole number' })
				.int('Enter the cohort size as a whole number')
				.min(0, 'Cohort size must be 0 or more')
				.max(COHORT_MAX, `Cohort size must be ${COHORT_MAX.toLocaleString('en-GB')} or fewer`)
		).nullable()
	}),
	measures: z.object({
		measures: z
			.array(
				z.object({
					measure: z.enum(keysOf(INCLUSION_MEASURES)),
					outcome: text(1000, 'Intended outcome')
				})
			)
			.max(5)
			.refine((list) => new Set(list.map((m) => m.measure)).size === list.length, 'Choose each measure once')
	}),
	budget: z.object({
		lines: z
			.array(
				z.object({
					item: text(200, 'Item').min(1, 'Describe the budget item'),
					category: z.enum(keysOf(BUDGET_CATEGORIES)),
					costPence: positivePence('Cost')
				})
			)
			.max(BUDGET_LINES_MAX, `A bid can have at most ${BUDGET_LINES_MAX} budget lines`)
	}),
	pledges: z.object({
		pledges: z
			.array(
				z.object({
					settingId: id,
					moneyPence: penceField('Money pledged'),
					staffHours: whole(z.number().int().min(0, 'Hours must be 0 or more').max(STAFF_HOURS_MAX)),
					staffDescription: text(500, 'Staff time description')
				})
			)
			.max(50)
	}),
	milestones: z.object({
		milestones: z
			.array(z.object({ title: text(200, 'Milestone').min(1, 'Describe the milestone'), dueOn: ukDate('Due date', { from: 'todayOrLater', withinYears: MILESTONE_WITHIN_YEARS }) }))
			.max(MILESTONES_MAX, `A bid can have at most ${MILESTONES_MAX} milestones`)
	}),
	evaluation: z.object({ evaluation: text(BID_TEXT_MAX, 'Evaluation') })
} as const;

export const saveSectionSchema = z.discriminatedUnion('section', [
	z.object({ bidId: id, section: z.literal('overview'), version, content: sectionSchemas.overview }),
	z.object({ bidId: id, section: z.literal('need'), version, content: sectionSchemas.need }),
	z.object({ bidId: id, section: z.literal('measures'), version, content: sectionSchemas.measures }),
	z.object({ bidId: id, section: z.literal('budget'), version, content: sectionSchemas.budget }),
	z.object({ bidId: id, section: z.literal('pledges'), version, content: sectionSchemas.pledges }),
	z.object({ bidId: id, section: z.literal('milestones'), version, content: sectionSchemas.milestones }),
	z.object({ bidId: id, section: z.literal('evaluation'), version, content: sectionSchemas.evaluation })
]);
export type SaveSectionInput = z.infer<typeof saveSectionSchema>;

export const partnerSchema = z.object({ bidId: id, settingId: id });
export const confirmPledgeSchema = z.object({ bidId: id, settingId: id, sectionVersion: version });
export const submitBidSchema = z.object({ bidId: id, version });
export const withdrawBidSchema = z.object({
	bidId: id,
	version,
	reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the bid is being withdrawn')
});
export const endorseSchema = z
	.object({
		bidId: id,
		settingId: id,
		submissionNo: whole(versionSchema(undefined, 1)),
		decision: z.enum(['endorse', 'object']),
		reason: text(REASON_MAX_LENGTH, 'Reason')
	})
	.refine((value) => value.decision === 'endorse' || value.reason.length > 0, {
		path: ['reason'],
		message: 'Say why your setting objects'
	});
/** How the PCF advisory group's advice was considered: required by the command when the bid has any. */
const adviceConsidered = text(REASON_MAX_LENGTH, 'How the forum’s advice was considered').default('');
export const decideSchema = z.discriminatedUnion('decision', [
	z.object({
		bidId: id,
		version,
		decision: z.literal('approve'),
		amountPence: positivePence('Amount approved'),
		conditions: text(BID_TEXT_MAX, 'Conditions'),
		reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Give the reason for the decision'),
		adviceConsidered
	}),
	z.object({
		bidId: id,
		version,
		decision: z.literal('decline'),
		reason: text(REASON_MAX_LENGTH, 'Reason').min(1, 'Say why the bid is declined'),
		adviceConsidered
	}),
	z.object({
		bidId: id,
		version,
		decision: z.literal('return'),
		reason: text(BID_TEXT_MAX, 'Points for the writers').min(1, 'Say what the writers need to change')
	})
]);
export type DecideInput = z.infer<typeof decideSchema>;
export const fundOrCloseSchema = z.object({ bidId: id, version, reason: text(REASON_MAX_LENGTH, 'Note') });
export const milestoneUpdateSchema = z.object({
	bidId: id,
	milestoneId: id,
	progress: z.enum(['not_started', 'on_track', 'at_risk', 'done']),
	note: text(1000, 'Update').min(1, 'Say what has happened')
});
