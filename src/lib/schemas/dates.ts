// The zod side of $lib/dates: a date field that every schema shares, so each refuses the same things.
import { z } from 'zod';
import { dateRangeProblem, readDateParts, readIsoDate, type DateRange } from '$lib/dates';

const partsSchema = z.object({ day: z.string(), month: z.string(), year: z.string() });

/**
 * A date field for a schema: the API sends YYYY-MM-DD, a form sends `{ day, month, year }`; either
 * becomes YYYY-MM-DD within `range`. An issue about one typed field carries its part in the path
 * (`['closesOn', 'month']`), so a form can link to that field.
 */
export function ukDate(label: string, range: DateRange) {
	return z.union([z.string().max(40), partsSchema]).transform((value, ctx) => {
		const reading = typeof value === 'string' ? readIsoDate(value, label) : readDateParts(value, label);
		if (!reading.ok) {
			ctx.addIssue({ code: 'custom', message: reading.message, path: reading.part ? [reading.part] : [] });
			return z.NEVER;
		}
		const problem = dateRangeProblem(reading.iso, label, range);
		if (problem) {
			ctx.addIssue({ code: 'custom', message: problem });
			return z.NEVER;
		}
		return reading.iso;
	});
}
