import { error, fail } from '@sveltejs/kit';
import { DomainError, httpStatus } from '$lib/server/errors';

// People pages have more than one form each; a refusal names its form so the page shows the
// errors beside the right fields and in the error summary.

export interface PeopleFormRefusal {
	form: string;
	/** For the error summary when the refusal is not about one field (a conflict, a rule). */
	message: string;
	errors: Record<string, string[]>;
	values: Record<string, string>;
}

export function textOf(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Field errors renamed to the ids the page uses (e.g. `reason` → `status-reason`). */
export function renameFields(errors: Record<string, string[]>, rename: Record<string, string> = {}): Record<string, string[]> {
	return Object.fromEntries(Object.entries(errors).map(([field, messages]) => [rename[field] ?? field, messages]));
}

export function invalidForm(form: string, errors: Record<string, string[]>, values: Record<string, string>) {
	const refusal: PeopleFormRefusal = { form, message: '', errors, values };
	return fail(400, refusal);
}

/**
 * Turns a feature's refusal into the form's error state: 403 and 404 become their pages, the
 * rest stay on the form with the feature's own words.
 */
export function refuse(caught: unknown, form: string, values: Record<string, string>, rename: Record<string, string> = {}) {
	if (!(caught instanceof DomainError)) throw caught;
	if (caught.code === 'FORBIDDEN') error(403, { message: 'You do not have access to this', reason: caught.message });
	if (caught.code === 'NOT_FOUND') error(404, { message: caught.message });
	const errors = renameFields(caught.fieldErrors ?? {}, rename);
	const refusal: PeopleFormRefusal = { form, message: Object.keys(errors).length ? '' : caught.message, errors, values };
	return fail(httpStatus[caught.code], refusal);
}
