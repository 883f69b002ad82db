// What changed between two versions of a document, section by section: the lines an endorser
// sees under "changed since you endorsed". Compares the sections' summary lines, so it reads the
// change the way a person reads the document, not the way it is stored.
import type { DocumentDefinition } from './define';

export interface SectionChange<S extends string = string> {
	section: S;
	label: string;
	before: string[];
	after: string[];
	/** Lines in the earlier version that are not in the later one. */
	removed: string[];
	/** Lines in the later version that were not in the earlier one. */
	added: string[];
}

/** `lines` less `take`, each line taken away once (a line written twice and removed once still shows once). */
function without(lines: readonly string[], take: readonly string[]): string[] {
	const remaining = new Map<string, number>();
	for (const line of take) remaining.set(line, (remaining.get(line) ?? 0) + 1);
	return lines.filter((line) => {
		const count = remaining.get(line) ?? 0;
		if (count === 0) return true;
		remaining.set(line, count - 1);
		return false;
	});
}

/** The sections that differ between two versions, in the document's order, with the lines that changed. */
export function changedSections<C, S extends string>(document: DocumentDefinition<C, S>, before: C, after: C): SectionChange<S>[] {
	return document.order.flatMap((section) => {
		const { label, summary } = document.sections[section];
		const was = summary(before);
		const now = summary(after);
		if (was.length === now.length && was.every((line, index) => line === now[index])) return [];
		return [{ section, label, before: was, after: now, removed: without(was, now), added: without(now, was) }];
	});
}
