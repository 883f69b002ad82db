import { error, fail } from '@sveltejs/kit';
import { DomainError, httpStatus } from '$lib/server/errors';

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

export function textOf(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Form fields arrive as text; an empty one is missing, anything else must read as a number. */
export function numberOf(value: string): number | undefined {
	return value.trim() === '' ? undefined : Number(value);
}

/**
 * Turns a feature's refusal into the form's error state. `fields` are the inputs a person can
 * see; errors about anything else (a stale hidden version) are said in the summary instead.
 */
export function refuse(caught: unknown, form: string, values: FormValues, fields: string[]) {
	if (!(caught instanceof DomainError)) throw caught;
	if (caught.code === 'FORBIDDEN') error(403, { message: 'You do not have access to this', reason: caught.message });
	if (caught.code === 'NOT_FOUND') error(404, { message: caught.message });
	const errors: Record<string, string[]> = {};
	const hidden: string[] = [];
	for (const [field, messages] of Object.entries(caught.fieldErrors ?? {})) {
		if (fields.includes(field)) errors[`${form}-${field}`] = messages;
		else hidden.push(...messages);
	}
	const visible = Object.keys(errors).length > 0;
	const message = visible ? '' : (hidden[0] ?? caught.message);
	const refusal: FormRefusal = { form, message, errors, values, conflict: caught.code === 'CONFLICT' };
	return fail(httpStatus[caught.code], refusal);
}
