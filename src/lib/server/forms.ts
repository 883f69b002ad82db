import { fail, isActionFailure, redirect, type Action, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { CONFIRM_FIELD } from '$lib/form-token';
import { datePartId } from '$lib/dates';
import { refusalIn, type FormRefusal } from '$lib/form-refusal';
import type { Actor } from './auth/actor';
import type { Database } from './db';
import { DomainError, httpStatus, invalid } from './errors';
import { refusalPage, requireActor } from './pages';
import { portal } from './boot';

// The one write path's form end. A feature command owns its input (it parses with the shared zod
// schema, asks `can()` on the row it locks, and refuses with a `DomainError`); `formAction` turns
// it into a SvelteKit action in a few lines: the person, the posted text, the command, then a
// redirect (so a refresh never repeats it) or `fail(400|409, …)` with the form's values kept.
// 403 and 404 become their pages. A tRPC mutation calls the same command (see trpc/procedures.ts).

export type { FormRefusal } from '$lib/form-refusal';

/** The posted form, or null for a body that is not one (the action's to refuse, not a helper's to fail on). */
export const postedForm = (request: Request): Promise<FormData | null> =>
	request
		.clone()
		.formData()
		.catch(() => null);

/**
 * A form action whose refusal also carries what `keep` works out from the post (a search picker's
 * search and choice), so what was typed and chosen stays in view.
 */
export function refusalKeeping<P extends Record<string, string>>(
	action: Action<P>,
	keep: (event: RequestEvent<P>, posted: FormData) => Promise<Record<string, unknown>>
): Action<P> {
	return async (event) => {
		const posted = await postedForm(event.request);
		const result = await action(event);
		if (!posted || !isActionFailure(result)) return result;
		const refusal = refusalIn(result.data);
		return refusal ? fail(result.status, { ...refusal, ...(await keep(event, posted)) }) : result;
	};
}

export function textOf(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Where a field's errors show: the id of the input a person can see, or null for a hidden one. */
export type FieldIds = (field: string) => string | null;

/** Ids `<form>-<field>` for the fields a person can see; the rest are hidden. */
export const prefixedIds =
	(form: string, visible: readonly string[]): FieldIds =>
	(field) =>
		visible.includes(field) ? `${form}-${field}` : null;

/**
 * The input id for an error key (a dotted path, see input.ts): the whole key if the page names it,
 * else its first segment, with a date's month or year part (DateInput) when the key names one.
 */
function idForKey(key: string, idFor: FieldIds): string | null {
	const direct = idFor(key);
	if (direct) return direct;
	const [first, part] = key.split('.');
	const id = first === key ? null : idFor(first);
	return id && datePartId(id, part === 'month' || part === 'year' ? part : null);
}

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
	for (const [key, messages] of Object.entries(caught.fieldErrors ?? {})) {
		const id = idForKey(key, idFor);
		if (id) (errors[id] ??= []).push(...messages);
		else hidden.push(...messages);
	}
	const conflict = caught.code === 'CONFLICT';
	const message = Object.keys(errors).length ? (conflict ? caught.message : '') : (hidden[0] ?? caught.message);
	return { status: httpStatus[caught.code], message, errors, conflict };
}

/** `formRefusal` as the action's answer for the form named `form`, its values kept. */
export function refuseForm(caught: unknown, form: string, values: Record<string, string>, idFor: FieldIds): ActionFailure<FormRefusal> {
	const { status, message, errors, conflict } = formRefusal(caught, idFor);
	return fail(status, { form, message, errors, values, conflict });
}

/** Whether the person ticked the check step (ConfirmCheck.svelte) before a step that cannot simply be undone. */
export function confirmedIn(form: FormData): boolean {
	return form.get(CONFIRM_FIELD) === 'yes';
}

/** What the check step says when it was not ticked. */
export const confirmMessage = (what: string) => `Tick the box to confirm you want to ${what}`;

/** What a form action's command is given. */
export interface FormContext<P extends Record<string, string> = Record<string, string>> {
	actor: Actor;
	db: Database;
	/** The posted text of the form's fields, as typed (kept for the form on a refusal). */
	values: Record<string, string>;
	/** The whole posted form, for fields that repeat (rows of a table). */
	data: FormData;
	params: P;
	url: URL;
}

export interface FormSpec<R, P extends Record<string, string>> {
	/** Which form on the page this is: refusals name it, so the page shows errors beside the right fields. */
	form: string;
	/** The posted fields to read as text (and keep on a refusal). */
	fields: readonly string[];
	/**
	 * Where errors show: the fields a person can see (ids `<form>-<field>`), or a function from a
	 * field to its input id (null for hidden fields), also given the posted values (a people form's
	 * role select depends on the kind of role chosen). Default: every field in `fields`.
	 */
	visible?: readonly string[] | ((field: string, values: Record<string, string>) => string | null);
	/**
	 * The form's name when a page shows one such form per row (one endorsement form per setting),
	 * from the posted values; it replaces `form` in the refusal and in the ids `<form>-<field>`.
	 */
	formFor?: (values: Record<string, string>) => string;
	/** For a step that cannot simply be undone: the check step (ConfirmCheck) must be ticked; says what it does. */
	confirm?: string;
	/** The command: parses, asks the policy, writes, in one transaction. */
	run: (context: FormContext<P>) => Promise<R>;
	/** Where to go once it is done (a page that says what was done). */
	done: (result: R, context: FormContext<P>) => string;
	/**
	 * How a refusal answers, when the form needs more than `refuseForm` gives (a section save adds
	 * the other writer's text with `refuseSection`, and what was posted). Default: `refuseForm`.
	 */
	refuse?: (caught: unknown, context: FormContext<P> & { form: string; idFor: FieldIds }) => ActionFailure<FormRefusal> | Promise<ActionFailure<FormRefusal>>;
}

/**
 * A SvelteKit form action over a feature command: the few lines each named action needs
 * (sveltejs/realworld's shape). Refusals come back as `fail(status, FormRefusal)`.
 */
export function formAction<R, P extends Record<string, string> = Record<string, string>>(spec: FormSpec<R, P>): Action<P> {
	const { visible } = spec;
	return async ({ locals, url, params, request }) => {
		const actor = requireActor(locals, url);
		const data = await request.formData();
		const values = Object.fromEntries(spec.fields.map((field) => [field, textOf(data, field)]));
		const form = spec.formFor?.(values) ?? spec.form;
		const idFor: FieldIds =
			typeof visible === 'function' ? (field) => visible(field, values) : prefixedIds(form, visible ?? spec.fields);
		if (spec.confirm && !confirmedIn(data)) {
			return fail(400, {
				form,
				message: '',
				errors: { [`${form}-confirm`]: [confirmMessage(spec.confirm)] },
				values,
				conflict: false
			} satisfies FormRefusal);
		}
		const { db } = await portal();
		const context: FormContext<P> = { actor, db, values, data, params, url };
		let result: R;
		try {
			result = await spec.run(context);
		} catch (caught) {
			return spec.refuse ? spec.refuse(caught, { ...context, form, idFor }) : refuseForm(caught, form, values, idFor);
		}
		redirect(303, spec.done(result, context));
	};
}

/** A refusal before the command runs (a field the page itself checks): the same shape as the command's. */
export const refuseField = (form: string, values: Record<string, string>, field: string, message: string) =>
	refuseForm(invalid(message, { [field]: [message] }), form, values, prefixedIds(form, [field]));
