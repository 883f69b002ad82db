import { datePartsOf } from '$lib/dates';
import { formAction, textOf, type FormContext } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor, requirePermission } from '$lib/server/pages';
import { programmeLines } from '$lib/server/capital';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../admin/forms.server';
import type { Database } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';

// What the capital set-up pages' form actions share: turning posted text into a command's input.
// The command's schema checks everything; these only gather repeated fields (ticked boxes, one
// field per financial year). Empty year fields are left out: no figure for that year.

/** Ticked boxes as numbers (anything not digits becomes NaN, which the schema refuses). */
export function idsFrom(data: FormData, name: string): number[] {
	return data.getAll(name).map((value) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN));
}

/** Ticked boxes as text. */
export function textsFrom(data: FormData, name: string): string[] {
	return data.getAll(name).map((value) => (typeof value === 'string' ? value : ''));
}

/** Fields named `<prefix>-<year>` that were filled in, as `{ year, value }` rows. */
export function yearRows(data: FormData, prefix: string): { year: number; value: string }[] {
	const rows: { year: number; value: string }[] = [];
	for (const [name, value] of data) {
		const match = new RegExp(`^${prefix}-(\\d{4})$`).exec(name);
		if (!match || typeof value !== 'string' || value.trim() === '') continue;
		rows.push({ year: Number(match[1]), value });
	}
	return rows;
}

/** Year fields as posted, for a refused form to show again. */
export function yearValues(data: FormData, prefix: string): Record<string, string> {
	return Object.fromEntries(yearRows(data, prefix).map((row) => [`${prefix}-${row.year}`, row.value]));
}

/** A line's posted fields as the line commands take them. */
export function lineInput(values: Record<string, string>, data: FormData) {
	return { ...values, eligibleSettingTypes: textsFrom(data, 'eligibleSettingTypes') };
}

/** A funding source's posted fields as the source commands take them. */
export function sourceInput(values: Record<string, string>, data: FormData) {
	return { ...values, profile: yearRows(data, 'profile').map(({ year, value }) => ({ year, amountPence: value })), lineIds: idsFrom(data, 'lineIds') };
}

/** A target's posted fields as the target commands take them. */
export function targetInput(values: Record<string, string>, data: FormData) {
	return { ...values, figures: yearRows(data, 'figures'), lineIds: idsFrom(data, 'lineIds') };
}

/** A round's posted fields as the round commands take them. */
export function roundInput(values: Record<string, string>, data: FormData) {
	return { ...values, closesOn: datePartsOf((name) => textOf(data, name), 'closesOn'), lineIds: idsFrom(data, 'lineIds') };
}

/** How many criteria rows the round page offers. */
export const CRITERIA_ROWS = 8;

/** The criteria rows that were filled in (a row with nothing typed is left out). */
export function criteriaInput(data: FormData) {
	const rows: { name: string; description: string; weight: string }[] = [];
	for (let row = 0; row < CRITERIA_ROWS; row++) {
		const read = (part: string) => textOf(data, `criterion-${row}-${part}`);
		if (!read('name').trim() && !read('weight').trim() && !read('description').trim()) continue;
		rows.push({ name: read('name'), description: read('description'), weight: read('weight') });
	}
	return rows;
}

/** A page to add an item: officers only, with the lines to choose from. */
export async function addingWithLines(locals: App.Locals, url: URL) {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'capital.manage' });
	const { db } = await portal();
	return (await programmeLines(db)).map((l) => ({ id: l.id, name: l.name }));
}

/**
 * The load of an item's own page (a funding source, a target): the item as `read` gives it (which
 * asks the policy), the lines to choose from, and the banner a redirect back here asked for.
 */
export function editingWithLines<T extends object>(noun: string, read: (db: Database, actor: Actor, id: number) => Promise<T>) {
	const done: Record<string, string> = { added: `${noun} added.`, changed: `${noun} saved.` };
	return async ({ locals, url, params }: { locals: App.Locals; url: URL; params: { id: string } }) => {
		const actor = requireActor(locals, url);
		const { db } = await portal();
		const item = await forPage(read(db, actor, parseId(params.id)));
		const lines = await programmeLines(db);
		return { ...item, lines: lines.map((l) => ({ id: l.id, name: l.name })), done: ownValue(done, url.searchParams.get('done')) ?? null };
	};
}

/**
 * An item page's save: the item's fields (ids `<form>-<field>` on the page, and `version`, the one
 * the officer saw) go to `run` with the item's id; a saved change returns to the page with its banner.
 */
export function savingItem(spec: { form: string; fields: string[]; run: (context: FormContext<{ id: string }>, id: number, version: number | undefined) => Promise<unknown> }) {
	return formAction<unknown, { id: string }>({
		form: spec.form,
		fields: spec.fields,
		visible: (field) => (field === 'version' ? null : `${spec.form}-${field}`),
		run: (context) => spec.run(context, parseId(context.params.id), numberOf(context.values.version)),
		done: (_, { url }) => `${url.pathname}?done=changed`
	});
}
