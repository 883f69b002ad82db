// The shape of a clash between two writers of one section, as a page receives it: from a form
// action's `fail(409, …)` (see `$lib/server/document/conflict.ts`) or from a tRPC CONFLICT's
// `data.sectionConflict`. Client-safe: the page only reads it.
import { refusalFor, type FormRefusal } from '$lib/form-refusal';

export interface SectionConflictState {
	section: string;
	/** The section's label, for the explanation ("Someone else saved “Budget” …"). */
	label: string;
	/** The section's version now: the writer saves against it once they have merged. */
	version: number;
	/** The other person's saved text, as the section's summary lines, to read beside one's own. */
	theirs: string[];
	/** Who saved it, when the feature knows. */
	savedBy: string | null;
}

/** A refused section save: the form's refusal plus, after a clash, the other person's text. */
export interface SectionRefusal extends FormRefusal {
	sectionConflict: SectionConflictState | null;
}

/**
 * The id of a form's clash explanation (SectionConflict.svelte): the error summary's link for a
 * clash goes there, so a keyboard or screen-reader user lands on the two versions.
 */
export const conflictFieldId = (form: string) => `${form}-conflict`;

/** The clash in this form's refusal, if the action's answer is one. */
export function sectionConflictIn(answer: unknown, form: string): SectionConflictState | null {
	const refusal = refusalFor(answer, form);
	const clash = refusal && 'sectionConflict' in refusal ? refusal.sectionConflict : null;
	return isConflictState(clash) ? clash : null;
}

/** A type guard for the clash a refusal carries (the page's `form` is loosely typed). */
function isConflictState(value: unknown): value is SectionConflictState {
	return (
		typeof value === 'object' &&
		value !== null &&
		'section' in value &&
		typeof value.section === 'string' &&
		'version' in value &&
		typeof value.version === 'number' &&
		'theirs' in value &&
		Array.isArray(value.theirs)
	);
}
