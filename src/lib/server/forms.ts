import { CONFIRM_FIELD } from '$lib/form-token';
import { DomainError, httpStatus } from './errors';
import { refusalPage } from './pages';

// What every form action does with posted fields and with a feature's refusal. Pages with several
// forms name the form a refusal belongs to (each in its own words: `form` or `action`) and show
// its errors beside the fields whose ids `idFor` gives, and in the error summary.

export function textOf(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Where a field's errors show: the id of the input a person can see, or null for a hidden one. */
export type FieldIds = (field: string) => string | null;

/** Ids `<form>-<field>` for the fields a person can see; the rest are hidden. */
export const prefixedIds =
	(form: string, visible: string[]): FieldIds =>
	(field) =>
		visible.includes(field) ? `${form}-${field}` : null;

export interface FormRefusalState {
	status: number;
	/** For the error summary when the refusal is not about one visible field (a conflict, a rule). */
	message: string;
	errors: Record<string, string[]>;
	/** Someone else changed it first: the page reloads the current state. */
	conflict: boolean;
}

/**
 * A feature's refusal as the form's error state. 403 and 404 become their pages. Errors about a
 * field the person cannot see (a stale hidden version, a tampered id) are said once in the summary;
 * a conflict always explains itself there.
 */
export function formRefusal(caught: unknown, idFor: FieldIds): FormRefusalState {
	if (!(caught instanceof DomainError)) throw caught;
	if (caught.code === 'FORBIDDEN' || caught.code === 'NOT_FOUND') refusalPage(caught);
	const errors: Record<string, string[]> = {};
	const hidden: string[] = [];
	for (const [field, messages] of Object.entries(caught.fieldErrors ?? {})) {
		const id = idFor(field);
		if (id) errors[id] = messages;
		else hidden.push(...messages);
	}
	const conflict = caught.code === 'CONFLICT';
	const message = Object.keys(errors).length ? (conflict ? caught.message : '') : (hidden[0] ?? caught.message);
	return { status: httpStatus[caught.code], message, errors, conflict };
}

/** Whether the person ticked the check step (ConfirmCheck.svelte) before a step that cannot simply be undone. */
export function confirmedIn(form: FormData): boolean {
	return form.get(CONFIRM_FIELD) === 'yes';
}

/** What the check step says when it was not ticked. */
export const confirmMessage = (what: string) => `Tick the box to confirm you want to ${what}`;
