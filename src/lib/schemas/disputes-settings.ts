import { z } from 'zod';
import { CATEGORIES, DAY_KINDS, DISPUTE_PERIOD_KEYS, type DisputePeriods, type Period } from '$lib/disputes/model';
import { OUTCOME_PERIOD_KEYS } from '$lib/disputes/outcome';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { ukDate } from './dates';

// A district's dispute settings as officers edit them: every period (the swiftness targets, the
// statutory and escalation periods, flagging and retention), and its term dates. Shared by the
// commands, the settings page's forms and the tests.

export const SETTINGS_REASON_MAX = 500;
/** The longest period kept, in its own unit: enough for any statutory period the reform may bring. */
export const PERIOD_COUNT_MAX = 400;
export const PERIOD_UNITS = [...DAY_KINDS, 'months'] as const;
/** The swiftness targets are counted in working days or in school days (the issue's choice). */
export const TARGET_UNITS = ['working', 'school'] as const;
export const TARGET_KEYS = ['referralToMeeting', 'meetingToOutcome'] as const satisfies readonly (keyof DisputePeriods)[];
/** A retention period is a long, plain span: months, or calendar days. */
export const RETENTION_UNITS = ['months', 'calendar'] as const;

export { DISPUTE_PERIOD_KEYS, OUTCOME_PERIOD_KEYS };

const periodSchema = z.object({
	count: whole(z.number().int('Enter a whole number').min(1, 'Enter at least 1').max(PERIOD_COUNT_MAX, `Enter ${PERIOD_COUNT_MAX} or fewer`)),
	unit: z.enum(PERIOD_UNITS, { error: 'Choose how the period is counted' })
});

const shapeOf = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, periodSchema])) as Record<K, typeof periodSchema>;

const allowedUnit = (key: string): readonly Period['unit'][] =>
	TARGET_KEYS.some((target) => target === key) ? TARGET_UNITS : key === 'retention' ? RETENTION_UNITS : key === 'approachingWarning' ? DAY_KINDS : PERIOD_UNITS;

export const UNIT_WORDS: Record<Period['unit'], string> = { calendar: 'days', working: 'working days', school: 'school days', months: 'months' };

export const periodsSchema = z
	.object({
		districtId: whole(idSchema()),
		version: whole(versionSchema()),
		periods: z.object(shapeOf(DISPUTE_PERIOD_KEYS)),
		outcomePeriods: z.object(shapeOf(OUTCOME_PERIOD_KEYS)),
		reason: textSchema().trim().min(1, 'Enter why the settings are changing').max(SETTINGS_REASON_MAX, `The reason must be ${SETTINGS_REASON_MAX} characters or fewer`)
	})
	.superRefine((input, ctx) => {
		for (const [group, periods] of [['periods', input.periods], ['outcomePeriods', input.outcomePeriods]] as const) {
			for (const [key, period] of Object.entries(periods)) {
				const units = allowedUnit(key);
				if (!units.includes(period.unit)) ctx.addIssue({ code: 'custom', path: [group, key, 'unit'], message: `Count this in ${units.map((u) => UNIT_WORDS[u]).join(' or ')}` });
			}
		}
	});
export type PeriodsInput = z.infer<typeof periodsSchema>;

export const termSchema = z.object({
	districtId: whole(idSchema()),
	startsOn: ukDate('The first day of term', { withinYears: 5 }),
	endsOn: ukDate('The last day of term', { withinYears: 5 }),
	reason: textSchema().trim().max(SETTINGS_REASON_MAX, `The reason must be ${SETTINGS_REASON_MAX} characters or fewer`).optional().default('')
});

export const termRemovalSchema = z.object({
	districtId: whole(idSchema()),
	termId: whole(idSchema()),
	reason: textSchema().trim().max(SETTINGS_REASON_MAX, `The reason must be ${SETTINGS_REASON_MAX} characters or fewer`).optional().default('')
});

/** An anonymised theme passed to the forum: a category, a financial quarter and the consultation it informs. */
export const themePassSchema = z.object({
	districtId: whole(idSchema()),
	year: whole(z.number().int('Choose a year from the list').min(2000, 'Choose a year from the list').max(2100, 'Choose a year from the list')),
	category: z.enum(CATEGORIES, { error: 'Choose a category from the list' }),
	/** 1 to 4: Q1 (April to June) to Q4 (January to March). */
	quarter: whole(z.number().int('Choose a quarter from the list').min(1, 'Choose a quarter from the list').max(4, 'Choose a quarter from the list')),
	consultationId: whole(idSchema('Choose a consultation from the list'))
});
