// One section's form state on the bid page. The writer's typing is never replaced behind their
// back: once they have typed (dirty), fresh data from others does not re-seed the form, and the
// version they save against stays the one they started from, so the server catches any clash.
import type { BidSection } from '$lib/bids/model';
import type { SectionRefusal, SectionValues } from './sections';

export interface EditorSource<S extends BidSection> {
	saved: SectionValues<S>;
	version: number;
	refusal: SectionRefusal | null;
}

export class SectionEditor<S extends BidSection> {
	values = $state() as SectionValues<S>;
	/** The section version these values were based on; sent back as `version` when saving. */
	baseVersion = $state(0);
	/** The person has typed something not yet saved. */
	dirty = $state(false);
	/** Someone else saved this section while this person was typing. */
	stale = $state(false);
	#shownRefusal: SectionRefusal | null = null;

	constructor(
		readonly section: S,
		source: EditorSource<S>
	) {
		this.sync(source);
	}

	/** Called with the page's current data; cheap, and safe to call on every change. */
	sync({ saved, version, refusal }: EditorSource<S>) {
		if (refusal && refusal !== this.#shownRefusal) {
			// A refused save: put the writer's own values back, on top of whatever is saved now.
			this.#shownRefusal = refusal;
			this.values = structuredClone(refusal.yours) as SectionValues<S>;
			this.baseVersion = refusal.version;
			this.dirty = true;
			this.stale = false;
			return;
		}
		if (!refusal) this.#shownRefusal = null;
		if (!this.dirty) {
			this.values = structuredClone(saved);
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
