import { fail } from '@sveltejs/kit';
import { confirmMessage, formRefusal, prefixedIds } from '$lib/server/forms';

// County set-up pages have several forms each; a refusal names the form it belongs to so the page
// shows its errors beside the right fields (ids `<form>-<field>`) and in the error summary.

export type FormValues = Record<string, string>;

export interface FormRefusal {
	form: string;
	/** For the error summary when the refusal is not about one visible field (a conflict, a rule). */
	message: string;
	errors: Record<string, string[]>;
	values: FormValues;
	/** Someone else changed it first: the page has reloaded the current state. */
	conflict: boolean;
}

/** Form fields arrive as text; an empty one is missing, anything else must read as a number. */
export function numberOf(value: string): number | undefined {
	return value.trim() === '' ? undefined : Number(value);
}

/** The check step was not ticked: nothing is done and the box (`<form>-confirm`) says why. */
export function unconfirmed(form: string, what: string, values: FormValues) {
	const refusal: FormRefusal = { form, message: '', errors: { [`${form}-confirm`]: [confirmMessage(what)] }, values, conflict: false };
	return fail(400, refusal);
}

/**
 * Turns a feature's refusal into the form's error state. `fields` are the inputs a person can
 * see; errors about anything else (a stale hidden version) are said in the summary instead.
 */
export function refuse(caught: unknown, form: string, values: FormValues, fields: string[]) {
	const { status, message, errors, conflict } = formRefusal(caught, prefixedIds(form, fields));
	const refusal: FormRefusal = { form, message, errors, values, conflict };
	return fail(status, refusal);
}
