// The form end of a section save: like `refuseForm`, plus the other writer's text after a clash.
import { fail, type ActionFailure } from '@sveltejs/kit';
import { refuseForm, type FieldIds } from '../forms';
import type { SectionRefusal } from '$lib/document/conflict';
import { sectionConflictData } from './conflict';

/**
 * A section save's refusal as the action's answer: `refuseForm`'s status and field errors with the
 * writer's typing kept, and `sectionConflict` (the other person's saved text and the version to
 * save against next) when two people saved the same section, so the page needs no reload to show it.
 */
export function refuseSection(caught: unknown, form: string, values: Record<string, string>, idFor: FieldIds): ActionFailure<SectionRefusal> {
	const { status, data } = refuseForm(caught, form, values, idFor);
	return fail(status, { ...data, sectionConflict: sectionConflictData(caught) });
}
