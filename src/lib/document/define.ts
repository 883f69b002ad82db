// A document several people write in sections (a bid, an EOI, a PCF consultation, a panel referral),
// declared once: its sections in order, each with how it reads as lines and what it still needs.
// Pure and client-safe (no server imports, no zod), so the server's checks and the pages' task list
// and check-your-answers page come from the same declaration. See README.md beside this file.

export interface SectionDefinition<C> {
	/** The section's name as people see it: the task list's link, the page heading, the summary key. */
	label: string;
	/** The section as plain lines of text: what check-your-answers shows and what "changed since" compares. */
	summary: (content: C) => string[];
	/** What is still missing before sign-off, in words a headteacher acts on; empty when complete. */
	required?: (content: C) => string[];
	/**
	 * Whether anyone has written in it yet. Without this, a section has started once any of its
	 * summary lines has text; declare it when the summary always has words ("Title: ").
	 */
	started?: (content: C) => boolean;
	/** Why it cannot be started yet (another section must come first), or null once it can. */
	blockedBy?: (content: C) => string | null;
}

export interface DocumentDefinition<C, S extends string = string> {
	/** What the document is called in sentences ("bid", "expression of interest"). */
	noun: string;
	sections: Record<S, SectionDefinition<C>>;
	/** The order people work through the sections: the task list's and check-your-answers' order. */
	order: readonly S[];
}

/**
 * Declares a document. Checks that `order` names every section exactly once, so a section can
 * never be missing from the task list or the sign-off checks.
 */
export function defineDocument<C, S extends string>(definition: DocumentDefinition<C, S>): DocumentDefinition<C, S> {
	const declared = Object.keys(definition.sections).sort();
	const ordered = [...definition.order].sort();
	if (declared.length !== ordered.length || declared.some((section, index) => section !== ordered[index])) {
		throw new Error(`The ${definition.noun}'s order must name each of its sections exactly once`);
	}
	return definition;
}

/** Whether the document has a section of this name (a route parameter, a posted field). */
export function isSectionOf<C, S extends string>(document: DocumentDefinition<C, S>, section: string): section is S {
	return Object.hasOwn(document.sections, section);
}

/** The page where one section is edited, under the document's own page (`/bids/7/sections/budget`). */
export const sectionHref = (base: string, section: string) => `${base}/sections/${encodeURIComponent(section)}`;
