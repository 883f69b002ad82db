import type { Period } from '$lib/disputes/model';
import type { Term } from './calendar';

// The settings page's pure rules: whether a new term can be kept beside the district's others,
// and which periods an edit changes (the history names them, before and after).

/** The longest a term can be: a mistyped year (a term of two years) is refused, not kept. */
export const LONGEST_TERM_DAYS = 140;

const dayNumber = (iso: string) => Date.parse(`${iso}T12:00:00Z`) / 86_400_000;

/** Why a term cannot be added beside the district's existing terms (with the field it is about), or null. */
export function termProblem(term: Term, existing: readonly Term[]): { field: 'startsOn' | 'endsOn'; message: string } | null {
	if (term.end <= term.start) return { field: 'endsOn', message: 'The last day of term must be after the first day' };
	if (dayNumber(term.end) - dayNumber(term.start) > LONGEST_TERM_DAYS) return { field: 'endsOn', message: `A term can be at most ${LONGEST_TERM_DAYS} days long: check the dates` };
	const clash = existing.find((other) => other.start <= term.end && term.start <= other.end);
	if (clash) return { field: 'startsOn', message: `This overlaps the term from ${clash.start} to ${clash.end}` };
	return null;
}

/** Whether an identical term is already kept (a second submit of the same term does nothing). */
export const sameTermKept = (term: Term, existing: readonly Term[]) => existing.some((other) => other.start === term.start && other.end === term.end);

export interface PeriodChange {
	key: string;
	before: Period;
	after: Period;
}

/** The periods an edit changes, in the order given. */
export function changedPeriods<K extends string>(before: Readonly<Record<K, Period>>, after: Readonly<Record<K, Period>>): PeriodChange[] {
	const changes: PeriodChange[] = [];
	for (const key of Object.keys(after) as K[]) {
		const a = before[key];
		const b = after[key];
		if (a.count !== b.count || a.unit !== b.unit) changes.push({ key, before: a, after: b });
	}
	return changes;
}
