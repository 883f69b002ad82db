// The form end of a section save: like `refuseForm`, plus the other writer's text after a clash.
import { fail, type ActionFailure } from '@sveltejs/kit';
import { refuseForm, type FieldIds } from '../forms';
import { conflictFieldId, type SectionRefusal } from '$lib/document/conflict';
import { conflictMessage, sectionConflictData } from './conflict';

/**
 * A section save's refusal as the action's answer: `refuseForm`'s status and field errors with the
 * writer's typing kept, and `sectionConflict` (the other person's saved text and the version to
 * save against next) when two people saved the same section, so the page needs no reload to show it.
 * The clash's explanation is keyed by `conflictFieldId(form)`, so the error summary links to it.
 */
export function refuseSection(caught: unknown, form: string, values: Record<string, string>, idFor: FieldIds): ActionFailure<SectionRefusal> {
	const { status, data } = refuseForm(caught, form, values, idFor);
	const sectionConflict = sectionConflictData(caught);
	if (!sectionConflict) return fail(status, { ...data, sectionConflict });
	// The summary links to the two versions (SectionConflict.svelte) rather than saying it unlinked.
	const errors = { ...data.errors, [conflictFieldId(form)]: [data.message || conflictMessage(sectionConflict.label)] };
	return fail(status, { ...data, message: '', errors, sectionConflict });
}
