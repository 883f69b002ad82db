import { datePartsOf } from '$lib/dates';
import { textOf } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { programmeLines } from '$lib/server/capital';

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

/** Fields named `<prefix>-<year>` that were filled in, as `{ year, [key]: text }` rows. */
export function yearRows<K extends string>(data: FormData, prefix: string, key: K): ({ year: number } & Record<K, string>)[] {
	const rows: ({ year: number } & Record<K, string>)[] = [];
	for (const [name, value] of data) {
		const match = new RegExp(`^${prefix}-(\\d{4})$`).exec(name);
		if (!match || typeof value !== 'string' || value.trim() === '') continue;
		rows.push({ year: Number(match[1]), [key]: value } as { year: number } & Record<K, string>);
	}
	return rows;
}

/** Year fields as posted, for a refused form to show again. */
export function yearValues(data: FormData, prefix: string): Record<string, string> {
	return Object.fromEntries(yearRows(data, prefix, 'value').map((row) => [`${prefix}-${row.year}`, row.value]));
}

/** A line's posted fields as the line commands take them. */
export function lineInput(values: Record<string, string>, data: FormData) {
	return { ...values, eligibleSettingTypes: textsFrom(data, 'eligibleSettingTypes') };
}

/** A funding source's posted fields as the source commands take them. */
export function sourceInput(values: Record<string, string>, data: FormData) {
	return { ...values, profile: yearRows(data, 'profile', 'amountPence'), lineIds: idsFrom(data, 'lineIds') };
}

/** A target's posted fields as the target commands take them. */
export function targetInput(values: Record<string, string>, data: FormData) {
	return { ...values, figures: yearRows(data, 'figures', 'value'), lineIds: idsFrom(data, 'lineIds') };
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
