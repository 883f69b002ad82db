// What a search picker shows (server and browser share these types; no server code here).

/** One answer in a picker: the radio's value, its words and a hint saying where it is. */
export interface PickerOption {
	value: string;
	label: string;
	hint?: string;
}

/** A search's matches, at most a screenful; `more` says there were others to narrow down to. */
export interface PickerResult {
	options: PickerOption[];
	more: boolean;
}

/** A picker as a page renders it: what was searched for, what matched, and the choice already made (kept in view). */
export interface PickerState extends PickerResult {
	query: string;
	chosen: PickerOption | null;
}

/** Whether a value is a picker's state (a type guard: a page's `form` is loosely typed). */
export function isPickerState(value: unknown): value is PickerState {
	return typeof value === 'object' && value !== null && 'query' in value && 'options' in value && 'more' in value && 'chosen' in value;
}

/**
 * What a picker's `{#key}` block keys on: the search and the choice it was rendered with. A page
 * refreshed in place (live updates) sends a new, equal state, which must not wipe what the person
 * is typing; a new search or choice in the address (or a refused post) does re-seed it.
 */
export const pickerKey = (picker: PickerState) => `${picker.query}\u0000${picker.chosen?.value ?? ''}`;
