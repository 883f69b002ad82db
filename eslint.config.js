import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', '.data/', 'test-results/', 'playwright-report/', 'src/lib/server/db/schema.d.ts'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			// Links here are plain same-site paths (no base path is configured), so resolve() adds nothing.
			'svelte/no-navigation-without-resolve': 'off',
			// `{' '}` keeps the leading space of visually hidden text ("Change<span> county role</span>"),
			// which Svelte would otherwise trim, so screen readers hear two words.
			'svelte/no-useless-mustaches': 'off'
		}
	},
	{
		// Code that runs in the browser imports limits as plain constants, never a zod schema: importing one
		// ships all of zod with the page (issue 10: the bid page carried 104 KB of gzipped JS for one constant).
		// Types are free (erased at build). tests/budget/client-js.js checks the built chunks as well.
		files: ['src/**/*.svelte', 'src/**/*.svelte.ts', 'src/routes/**/+page.ts', 'src/routes/**/+layout.ts', 'src/lib/**/*.ts'],
		ignores: ['src/lib/server/**', 'src/lib/schemas/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['zod', 'zod/*', '$lib/schemas/*', '!$lib/schemas/limits'],
							allowTypeImports: true,
							message: 'Browser code imports plain constants ($lib/schemas/limits, $lib/<feature>/limits), not zod schemas.'
						}
					]
				}
			]
		}
	},
	{
		// The connection's bookkeeping (rooms, timers, listeners) is not page state: plain Maps on purpose.
		files: ['src/lib/live/client.svelte.ts'],
		rules: { 'svelte/prefer-svelte-reactivity': 'off' }
	}
);
