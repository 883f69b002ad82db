// Where a document stands: what is missing before sign-off and each section's task-list status.
// Pure, so the overview page, the check page and the sign-off command agree on every item.
import { sectionHref, type DocumentDefinition } from './define';

/** The GOV.UK task list's statuses, in the pattern's own words. */
export type SectionStatus = 'not started' | 'in progress' | 'completed' | 'cannot start yet';

export interface MissingItem<S extends string = string> {
	section: S;
	/** The section's label, for an error summary that says where. */
	label: string;
	message: string;
	/** The section's own page, where the person puts it right. */
	href: string;
}

/**
 * Everything still missing before sign-off, section by section in the document's order; empty
 * means ready. `base` is the document's page (`/bids/7`); each item links to its section's page.
 */
export function checklist<C, S extends string>(document: DocumentDefinition<C, S>, content: C, base: string): MissingItem<S>[] {
	return document.order.flatMap((section) => {
		const { label, required } = document.sections[section];
		return (required?.(content) ?? []).map((message) => ({ section, label, message, href: sectionHref(base, section) }));
	});
}

/** Missing messages keyed by section, the shape a command's refusal carries as field errors. */
export function missingBySection<S extends string>(missing: readonly MissingItem<S>[]): Partial<Record<S, string[]>> {
	const bySection: Partial<Record<S, string[]>> = {};
	for (const item of missing) (bySection[item.section] ??= []).push(item.message);
	return bySection;
}

/**
 * One section's status: blocked sections cannot start yet; otherwise untouched is not started,
 * touched with something missing is in progress, and touched with nothing missing is completed.
 * `missing` is the checklist (the document's own, or one a feature extended with outside facts).
 */
export function sectionStatus<C, S extends string>(
	document: DocumentDefinition<C, S>,
	content: C,
	section: S,
	missing: readonly MissingItem<S>[]
): SectionStatus {
	const definition = document.sections[section];
	if (definition.blockedBy?.(content)) return 'cannot start yet';
	const started = definition.started ? definition.started(content) : definition.summary(content).some((line) => line.trim() !== '');
	if (!started) return 'not started';
	return missing.some((item) => item.section === section) ? 'in progress' : 'completed';
}

export interface TaskListEntry<S extends string = string> {
	section: S;
	label: string;
	status: SectionStatus;
	/** The section's page; none while it cannot be started (the pattern shows no link then). */
	href: string | null;
	/** What is missing, or why it cannot start yet, shown under the link. */
	hints: string[];
	/** Who is working in the section now (presence by section). */
	others: string[];
}

/** The overview page's task list: every section in order with its status, link, hints and who is in it. */
export function taskList<C, S extends string>(
	document: DocumentDefinition<C, S>,
	content: C,
	base: string,
	options: { missing?: readonly MissingItem<S>[]; presence?: Partial<Record<S, string[]>> } = {}
): TaskListEntry<S>[] {
	const missing = options.missing ?? checklist(document, content, base);
	return document.order.map((section) => {
		const status = sectionStatus(document, content, section, missing);
		const blocked = status === 'cannot start yet' ? document.sections[section].blockedBy?.(content) : null;
		return {
			section,
			label: document.sections[section].label,
			status,
			href: blocked ? null : sectionHref(base, section),
			hints: blocked ? [blocked] : missing.filter((item) => item.section === section).map((item) => item.message),
			others: options.presence?.[section] ?? []
		};
	});
}

export interface AnswerRow<S extends string = string> {
	section: S;
	label: string;
	/** The section as its summary lines; empty when nothing is written yet. */
	lines: string[];
	/** Where "Change" goes, or null when this person may only read. */
	href: string | null;
}

/** The check-your-answers page's rows: every section in order as its summary, with a Change link if allowed. */
export function answers<C, S extends string>(document: DocumentDefinition<C, S>, content: C, base: string, changeable: boolean): AnswerRow<S>[] {
	return document.order.map((section) => ({
		section,
		label: document.sections[section].label,
		lines: document.sections[section].summary(content),
		href: changeable ? sectionHref(base, section) : null
	}));
}
