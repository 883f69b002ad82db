import type { z } from 'zod';
import { invalid } from './errors';

// Input at the edge, once for every feature: a command parses what it was given with the
// feature's shared zod schema (`$lib/schemas/<feature>.ts`, built on `schemas/common.ts`: one id
// schema, no NUL, own-key lookups), and a refusal carries field errors in words for people.
// Field errors are keyed by the issue's path joined with dots (`name`, `startsOn.month`,
// `pledges.2.amountPence`); the form helper maps keys to the ids of the inputs a person sees.

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

/** A zod error as field errors keyed by dotted path, each message in words for people. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
	const errors: Record<string, string[]> = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.');
		const field = String([...issue.path].reverse().find((part) => typeof part === 'string') ?? '');
		(errors[key] ??= []).push(humanMessage(issue, field));
	}
	return errors;
}

/**
 * Parses a command's input with its schema, or refuses (400) with field errors. Every command
 * starts here, so a form, the tRPC API and a test all meet the same rules.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, message = 'Check what you entered and try again.'): z.output<S> {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) throw invalid(message, fieldErrorsOf(parsed.error));
	return parsed.data;
}
