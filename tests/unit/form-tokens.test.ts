import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every form a signed-in person posts carries the one-time token that makes a double submit
// harmless; a new form without it would quietly do its work twice on a double click.

const APP = path.resolve('src/routes/(app)');
// Shared components post too (a proposal's advice, a discussion's comments, a stage page's forms).
const LIB = path.resolve('src/lib');

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? svelteFiles(full) : entry.name.endsWith('.svelte') ? [full] : [];
	});
}

describe('one-time form tokens', () => {
	const forms = [...svelteFiles(APP), ...svelteFiles(LIB)].flatMap((file) => {
		const source = readFileSync(file, 'utf8');
		return [...source.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/gi)].map((match) => ({
			file: path.relative(path.resolve('src'), file),
			opening: match[0].slice(0, match[0].indexOf('>') + 1),
			body: match[1]
		}));
	});

	it('finds the portal’s forms, in pages and in shared components', () => {
		expect(forms.length).toBeGreaterThanOrEqual(25);
		expect(forms.some((form) => form.file.startsWith('lib'))).toBe(true);
	});

	it('puts a FormToken in every form that posts', () => {
		const missing = forms.filter((form) => !form.body.includes('<FormToken />')).map((form) => `${form.file}: ${form.opening}`);
		expect(missing).toEqual([]);
	});
});
