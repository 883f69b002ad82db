import { z } from 'zod';
import { CAPITAL_PROCESSES, SOURCE_STATUSES } from '$lib/capital/model';
import { idSchema, textSchema, versionSchema } from './common';
import { penceField, whole } from './bids';
import { ukDate } from './dates';
import { REASON_MAX_LENGTH } from './limits';

// The capital programme's set-up, shared by its commands, form actions and tests. Money arrives
// as pence (API) or pounds text (forms); optional figures arrive empty from a form and become null.

export const CAPITAL_NAME_MAX = 120;
export const CAPITAL_TEXT_MAX = 2000;
export const CRITERIA_MAX = 10;
export const YEARS_MAX = 12;
export const FIGURE_MAX = 1_000_000;
export const ROUND_CLOSES_WITHIN_YEARS = 2;

const id = whole(idSchema());
const version = whole(versionSchema());
const blank = z.union([z.null(), z.literal('')]).transform(() => null);

const text = (max: number, label: string) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const name = (label: string) => text(CAPITAL_NAME_MAX, label).min(1, `Enter the ${label.toLowerCase()}`);
const reason = text(REASON_MAX_LENGTH, 'Reason');
const optionalPence = (label: string) => z.union([blank, penceField(label)]);
const optionalPositivePence = (label: string) => z.union([blank, penceField(label).refine((value) => value > 0, `${label} must be more than £0, or left empty`)]);
const wholeIn = (label: string, min: number, max: number) =>
	whole(
		z
			.number({ error: `${label} must be a whole number` })
			.int(`${label} must be a whole number`)
			.min(min, `${label} must be ${min} or more`)
			.max(max, `${label} must be ${max.toLocaleString('en-GB')} or less`)
	);
const optionalWhole = (label: string, min: number, max: number) => z.union([blank, wholeIn(label, min, max)]);
const ids = z.array(id).max(50, 'Choose fewer lines');
/** A financial year by the year it starts (2026 is 2026/27). */
const year = wholeIn('Year', 2000, 2100);

export const lineFieldsSchema = z.object({
	name: name('Line name'),
	process: z.enum(CAPITAL_PROCESSES, { error: 'Choose how the line runs' }),
	allocationPence: optionalPence('Allocation'),
	maxPerBasePence: optionalPositivePence('Most per base'),
	benchmarkPerPlacePence: optionalPositivePence('Benchmark per place'),
	standardBandPence: optionalPositivePence('Standard band'),
	enhancedBandPence: optionalPositivePence('Enhanced band'),
	enhancedSharePercent: optionalWhole('Enhanced share', 0, 100),
	placesMin: optionalWhole('Fewest places', 1, 1000),
	placesMax: optionalWhole('Most places', 1, 1000),
	plannedBases: optionalWhole('Planned bases', 0, 10_000),
	plannedPlaces: optionalWhole('Planned places', 0, FIGURE_MAX),
	placeDefinition: text(CAPITAL_TEXT_MAX, 'What a place means').min(1, 'Say what a place means on this line'),
	assumptions: text(CAPITAL_TEXT_MAX, 'Other assumptions'),
	eligibleSettingTypes: z.array(text(80, 'Setting type').min(1)).max(40, 'Choose fewer kinds of setting'),
	reason
});
export type LineFields = z.output<typeof lineFieldsSchema>;

export const createLineSchema = lineFieldsSchema;
export const updateLineSchema = lineFieldsSchema.extend({ lineId: id, version });

const yearAmounts = z.array(z.object({ year, amountPence: penceField('Amount for the year') })).max(YEARS_MAX);
const yearFigures = z.array(z.object({ year, value: wholeIn('Figure', 0, FIGURE_MAX) })).max(YEARS_MAX);

export const sourceFieldsSchema = z.object({
	name: name('Source name'),
	amountPence: penceField('Amount'),
	status: z.enum(SOURCE_STATUSES, { error: 'Choose whether the funding is confirmed or assumed' }),
	profile: yearAmounts,
	lineIds: ids,
	notes: text(CAPITAL_TEXT_MAX, 'Notes'),
	reason
});
export const createSourceSchema = sourceFieldsSchema;
export const updateSourceSchema = sourceFieldsSchema.extend({ sourceId: id, version });

export const targetFieldsSchema = z.object({
	name: name('Target name'),
	definition: text(CAPITAL_TEXT_MAX, 'Definition').min(1, 'Say what the target counts'),
	baseline: optionalWhole('Baseline', 0, FIGURE_MAX),
	baselineNote: text(CAPITAL_TEXT_MAX, 'About the baseline'),
	figures: yearFigures.min(1, 'Enter the target for at least one financial year'),
	lineIds: ids,
	reason
});
export const createTargetSchema = targetFieldsSchema;
export const updateTargetSchema = targetFieldsSchema.extend({ targetId: id, version });

export const roundFieldsSchema = z.object({
	name: name('Round name'),
	closesOn: ukDate('Closing date', { from: 'future', withinYears: ROUND_CLOSES_WITHIN_YEARS }),
	guidance: text(CAPITAL_TEXT_MAX, 'Guidance'),
	lineIds: ids.min(1, 'Choose at least one programme line')
});
export const createRoundSchema = roundFieldsSchema;
export const updateRoundSchema = roundFieldsSchema.extend({ roundId: id, version });

export const criteriaSchema = z.object({
	roundId: id,
	version,
	criteria: z
		.array(
			z.object({
				name: name('Criterion'),
				description: text(CAPITAL_TEXT_MAX, 'Description'),
				weight: wholeIn('Weight', 1, 100)
			})
		)
		.max(CRITERIA_MAX, `A round has at most ${CRITERIA_MAX} criteria`)
});

export const roundStepSchema = z.object({
	roundId: id,
	version,
	step: z.enum(['open', 'close'], { error: 'Choose what to do with the round' }),
	reason
});

/** A Companies House number: eight digits, or two letters and six digits (SC123456), spaces ignored. */
export const COMPANY_NUMBER_PATTERN = /^(\d{8}|[A-Z]{2}\d{6})$/;

/** An academy trust as an officer sets one up; the Companies House number is optional. */
export const createTrustSchema = z.object({
	name: name('Trust name'),
	// Optional: empty (or left out by the API) is none. One chain, not a union, so the message is the one for people.
	companyNumber: z.preprocess(
		(value) => value ?? '',
		textSchema()
			.transform((value) => value.replace(/\s+/g, '').toUpperCase())
			.refine((value) => value === '' || COMPANY_NUMBER_PATTERN.test(value), 'Enter the Companies House number as 8 digits, such as 08123456, or 2 letters and 6 digits, such as SC123456')
			.transform((value) => value || null)
	),
	reason
});

/** Linking an academy to a trust (moving it from another trust needs the reason) at the trust's version seen. */
export const linkAcademySchema = z.object({ trustId: id, version, settingId: whole(idSchema('Choose the academy to link')), reason });

/** Unlinking an academy from a trust, with why, at the trust's version seen. */
export const unlinkAcademySchema = z.object({ trustId: id, version, settingId: id, reason: reason.min(1, 'Say why the academy is leaving the trust') });
