// Mentions are written `@[Full name]`: brackets, so names with spaces and apostrophes are read
// whole, and an email address (`a@b.org`) or a lone `@` is never one. Code (inline or fenced)
// mentions nobody.

const MENTION = /(^|[^\w@`])@\[([^\]\n]{1,120})\]/g;
const FENCED = /```[\s\S]*?(```|$)|~~~[\s\S]*?(~~~|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;

/** The distinct names mentioned in a comment, as written (spaces tidied), in order. */
export function mentionedNames(markdown: string): string[] {
	const text = markdown.replace(FENCED, ' ').replace(INLINE_CODE, ' ');
	const names = new Map<string, string>();
	for (const match of text.matchAll(MENTION)) {
		const name = match[2].trim().replace(/\s+/g, ' ');
		if (name && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
	}
	return [...names.values()];
}

/** Whether a person's name is one of those mentioned (letter case and spacing aside). */
export const namesMatch = (mentioned: readonly string[], name: string) => {
	const wanted = name.trim().replace(/\s+/g, ' ').toLowerCase();
	return mentioned.some((m) => m.toLowerCase() === wanted);
};
