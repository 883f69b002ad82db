// One section's form state on its page. The writer's typing is never replaced behind their back:
// once they have typed (dirty), fresh data from others does not re-seed the form, and the version
// they save against stays the one they started from, so the server catches any clash. After a
// refused save the form holds what they posted (read back from the refusal), against the version
// the refusal names (the other person's, after a clash).
import type { BidSection } from '$lib/bids/model';
import type { BidContent } from '$lib/bids/content';
import { valuesFromContent, valuesFromRefusal, type SectionSaveRefusal, type SectionValues } from './sections';

/** What the page knows now: the saved content, the section's version and any refused save. */
export interface EditorInput {
	content: BidContent;
	version: number;
	refusal: SectionSaveRefusal | null;
}

export class SectionEditor<S extends BidSection> {
	values: SectionValues<S>;
	/** The section version these values were based on; sent back as `version` when saving. */
	baseVersion = $state(0);
	/** The person has typed something not yet saved. */
	dirty = $state(false);
	/** Someone else saved this section while this person was typing. */
	stale = $state(false);
	#shownRefusal: SectionSaveRefusal | null = null;

	constructor(
		readonly section: S,
		input: EditorInput
	) {
		this.values = $state(valuesFromContent(section, input.content));
		this.sync(input);
	}

	/** Called with the page's current data; cheap, and safe to call on every change. */
	sync({ content, version, refusal }: EditorInput) {
		const ours = refusal?.section === this.section ? refusal : null;
		if (ours && ours !== this.#shownRefusal) {
			// A refused save: put the writer's own values back, on top of whatever is saved now.
			this.#shownRefusal = ours;
			this.values = valuesFromRefusal(this.section, ours, content);
			this.baseVersion = ours.version;
			this.dirty = true;
			this.stale = false;
			return;
		}
		if (!ours) this.#shownRefusal = null;
		if (!this.dirty) {
			this.values = valuesFromContent(this.section, content);
			this.baseVersion = version;
			this.stale = false;
		}
	}

	markDirty() {
		this.dirty = true;
	}

	/** Saved: the next data load re-seeds the form. */
	markSaved() {
		this.dirty = false;
		this.stale = false;
	}
}

/** An editor for one of the bid's sections, its type saying which (so the page can pick its fields). */
export type AnySectionEditor = { [K in BidSection]: SectionEditor<K> }[BidSection];

const EDITORS: { [K in BidSection]: (input: EditorInput) => SectionEditor<K> } = {
	overview: (input) => new SectionEditor('overview', input),
	need: (input) => new SectionEditor('need', input),
	measures: (input) => new SectionEditor('measures', input),
	budget: (input) => new SectionEditor('budget', input),
	pledges: (input) => new SectionEditor('pledges', input),
	milestones: (input) => new SectionEditor('milestones', input),
	evaluation: (input) => new SectionEditor('evaluation', input)
};

/** The editor for a section named at run time (the page's route parameter). */
export const editorFor = (section: BidSection, input: EditorInput): AnySectionEditor => EDITORS[section](input);
