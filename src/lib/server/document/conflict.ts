// A clash between two writers of one section, as a refusal that carries the other person's saved
// text, so the writer can merge instead of starting again. It is a `DomainError` CONFLICT, so every
// edge already understands it (a form's 409, tRPC's CONFLICT); the extra `sectionConflict` rides
// along for the edges that show it: `refuseSection` (form.ts) and `sectionConflictData` for tRPC.
import { DomainError } from '../errors';
import type { SectionConflictState } from '$lib/document/conflict';

/** Said when two writers saved the same section; the page shows their text below it. */
export const conflictMessage = (label: string) =>
	`Someone else saved “${label}” while you were editing. Their version is shown below: combine it with yours and save again.`;

export class SectionConflict extends DomainError {
	constructor(readonly sectionConflict: SectionConflictState) {
		super('CONFLICT', conflictMessage(sectionConflict.label));
		this.name = 'SectionConflict';
	}
}

/**
 * The clash behind an error, for tRPC's error formatter to put in `data.sectionConflict` beside
 * `fieldErrors` (tRPC wraps the command's error as `cause`), or null for any other error.
 */
export function sectionConflictData(cause: unknown): SectionConflictState | null {
	return cause instanceof SectionConflict ? cause.sectionConflict : null;
}
