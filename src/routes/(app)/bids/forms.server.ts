// Form handling shared by the bid and funding-round pages: read posted text, check it with the
// feature's zod schema, and turn a refusal into the form's error state (ids `<form>-<field>`).
import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { confirmMessage, formRefusal, type FieldIds } from '$lib/server/forms';
import { datePartId } from '$lib/dates';
import type { FormRefusal } from './[bidId]/sections';

/** A whole number typed or carried in a hidden field; anything else is NaN for the schema to refuse. */
export function wholeOf(value: string): number {
	return /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}

/** Messages for people where zod's own would talk about types. */
export function humanMessage(issue: z.core.$ZodIssue, field: string): string {
	if (issue.code === 'invalid_union') {
		// Money is a number (API) or pounds text (forms): the text branch's message is the one for people.
		for (const branch of issue.errors) for (const inner of branch) if (inner.code !== 'invalid_type') return inner.message;
	}
	const unreadable = issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value';
	if (unreadable && /Rule$|decision$|progress$|category$/.test(field)) return 'Choose one of the options';
	if (unreadable && !issue.message.startsWith('Invalid')) return issue.message;
	if (unreadable) {
		if (/version|Id$|submissionNo/.test(field)) return 'This form is out of date. Reload the page and try again.';
		if (/Pence$/.test(field)) return 'Enter an amount in pounds, like 1250 or 1250.50';
		if (issue.code === 'invalid_value') return 'Choose one of the options';
		return 'Enter a whole number';
	}
	return issue.message;
}

/**
 * Zod issues as field errors keyed by input id. `idFor` gives the id of a field a person can see,
 * or null for a hidden one (a stale version, a tampered id), which is said once in the summary instead.
 */
export function schemaRefusal(
	status: number,
	action: string,
	zodError: z.ZodError,
	values: Record<string, string>,
	idFor: FieldIds
) {
	const errors: Record<string, string[]> = {};
	let message = '';
	for (const issue of zodError.issues) {
		const field = String(issue.path[0] ?? '');
		const fieldId = idFor(field);
		// A date's issue about its month or year links to that field (see DateInput).
		const part = issue.path[1];
		const id = fieldId && (part === 'month' || part === 'year') ? datePartId(fieldId, part) : fieldId;
		const text = humanMessage(issue, field);
		if (id) (errors[id] ??= []).push(text);
		else message ||= text;
	}
	const refusal: FormRefusal = { action, message, errors, values, conflict: false };
	return fail(status, refusal);
}

/** The check step was not ticked: nothing is done and the box (id `checkId`) says why. */
export function unconfirmed(action: string, checkId: string, what: string, values: Record<string, string>) {
	const refusal: FormRefusal = { action, message: '', errors: { [checkId]: [confirmMessage(what)] }, values, conflict: false };
	return fail(400, refusal);
}

/** A feature's refusal as the form's error state; 403 and 404 become their pages. */
export function domainRefusal(caught: unknown, action: string, values: Record<string, string>, idFor: FieldIds) {
	const { status, message, errors, conflict } = formRefusal(caught, idFor);
	const refusal: FormRefusal = { action, message, errors, values, conflict };
	return fail(status, refusal);
}
