import { fail } from '@sveltejs/kit';
import { formRefusal } from '$lib/server/forms';

// People pages have more than one form each; a refusal names its form so the page shows the
// errors beside the right fields and in the error summary.

export interface PeopleFormRefusal {
	form: string;
	/** For the error summary when the refusal is not about one field (a conflict, a rule). */
	message: string;
	errors: Record<string, string[]>;
	values: Record<string, string>;
}

export function invalidForm(form: string, errors: Record<string, string[]>, values: Record<string, string>, message = '') {
	const refusal: PeopleFormRefusal = { form, message, errors, values };
	return fail(400, refusal);
}

/**
 * Turns a feature's refusal into the form's error state: 403 and 404 become their pages, the
 * rest stay on the form with the feature's own words. Field errors go under the ids the page
 * uses (`rename`, e.g. `reason` → `status-reason`).
 */
export function refuse(caught: unknown, form: string, values: Record<string, string>, rename: Record<string, string> = {}) {
	const { status, message, errors } = formRefusal(caught, (field) => rename[field] ?? field);
	const refusal: PeopleFormRefusal = { form, message, errors, values };
	return fail(status, refusal);
}
