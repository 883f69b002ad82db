import { refusalFor } from '$lib/form-refusal';
import { penceToPoundsInput } from '$lib/bids/rules';

// What the capital pages' forms show in a field: what was typed into a refused form, else what is saved.

export function typedOr(answer: unknown, formId: string, field: string, saved: string): string {
	const refusal = refusalFor(answer, formId);
	return refusal && Object.hasOwn(refusal.values, field) ? refusal.values[field] : saved;
}

export const pounds = (pence: number | null | undefined) => (pence === null || pence === undefined ? '' : penceToPoundsInput(pence));

export const numberText = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
