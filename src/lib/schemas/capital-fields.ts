import { idSchema, textSchema, versionSchema } from './common';
import { penceField, whole } from './bids';
import { ukDate } from './dates';
import { ukToday } from '$lib/dates';
import { REASON_MAX_LENGTH } from './limits';

// The fields every capital schema is built from (applications, schemes, grants, money), so each
// refuses the same things in the same words. Ids, versions and money arrive as numbers (API) or
// text (forms); dates as YYYY-MM-DD (API) or day, month and year (forms).

export const id = whole(idSchema());
export const version = whole(versionSchema());

/** Trimmed text up to `max` characters, its limit said with `label`. */
export const boundedText = (max: number, label: string) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

/** A reason that may be left empty. */
export const optionalReason = boundedText(REASON_MAX_LENGTH, 'Reason');
/** A reason that must be given, `missing` saying what to write. */
export const requiredReason = (missing: string) => optionalReason.min(1, missing);

/** How the PCF advisory group's advice was considered: the decision's command requires it when the application has any (as a bid's does). */
export const adviceConsidered = boundedText(REASON_MAX_LENGTH, 'How the forum’s advice was considered').default('');

/** An amount of money above nothing. */
export const positivePence = (label: string) => penceField(label).refine((value) => value > 0, `${label} must be more than £0`);

/** A date something was done: within the last year, never in the future. */
export const pastDate = (label: string) => ukDate(label, { withinYears: 1 }).refine((iso) => iso <= ukToday(), `${label} must be today or in the past`);
