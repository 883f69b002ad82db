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
