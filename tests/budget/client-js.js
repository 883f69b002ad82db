// Client JS budget: after `npm run build`, works out each page's first-load JavaScript (SvelteKit's
// start and app entries, the page's layouts and leaf, and every chunk they import statically) from
// Vite's client manifest, gzips each file once, and fails when any page is over the budget.
// Dynamic imports are left out: the browser fetches them only when the code asks for them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** First-load JS of any page, gzipped (issue 10 item 5). */
export const BUDGET_BYTES = 80 * 1024;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = path.join(ROOT, '.svelte-kit/output');
const CLIENT = path.join(OUTPUT, 'client');

/**
 * @typedef {{ file: string, imports?: string[], isEntry?: boolean }} ManifestChunk
 * @typedef {{ route: string, files: string[], gzipBytes: number }} RouteWeight
 */

/** @returns {Promise<RouteWeight[]>} every page route's first-load JS, heaviest first */
export async function measureRoutes() {
	const manifestPath = path.join(CLIENT, '.vite/manifest.json');
	if (!existsSync(manifestPath)) throw new Error(`No client manifest at ${manifestPath}: run \`npm run build\` first.`);
	/** @type {Record<string, ManifestChunk>} */
	const chunks = JSON.parse(readFileSync(manifestPath, 'utf8'));
	// The server manifest only holds closures over lazy imports, so importing it runs no app code.
	/** @type {{ manifest: { _: { routes: { id: string, page: { layouts: (number | undefined)[], leaf: number } | null }[] } } }} */
	const { manifest } = await import(pathToFileURL(path.join(OUTPUT, 'server/manifest.js')).href);

	/** @type {Map<string, number>} */
	const gzipped = new Map();
	/** @param {string} file */
	const gzipSize = (file) => {
		let size = gzipped.get(file);
		if (size === undefined) {
			size = gzipSync(readFileSync(path.join(CLIENT, file))).length;
			gzipped.set(file, size);
		}
		return size;
	};

	/** @param {string} key @param {Set<string>} files */
	const collect = (key, files) => {
		const chunk = chunks[key];
		if (!chunk) throw new Error(`The client manifest has no entry ${key}`);
		if (files.has(chunk.file)) return;
		files.add(chunk.file);
		for (const imported of chunk.imports ?? []) collect(imported, files);
	};

	const startKey = Object.keys(chunks).find((key) => key.endsWith('@sveltejs/kit/src/runtime/client/entry.js'));
	const appKey = '.svelte-kit/generated/client-optimized/app.js';
	if (!startKey) throw new Error("The client manifest has no SvelteKit start entry");

	/** @type {RouteWeight[]} */
	const weights = [];
	for (const route of manifest._.routes) {
		if (!route.page) continue; // an endpoint sends no JS
		const files = new Set();
		collect(startKey, files);
		collect(appKey, files);
		for (const node of [...route.page.layouts, route.page.leaf]) {
			if (node === undefined || node === null) continue;
			collect(`.svelte-kit/generated/client-optimized/nodes/${node}.js`, files);
		}
		const list = [...files].sort();
		weights.push({ route: route.id, files: list, gzipBytes: list.reduce((sum, file) => sum + gzipSize(file), 0) });
	}
	return weights.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

/**
 * Server-size libraries that must never reach a browser, each with text its built code always
 * carries. zod is the one a page can pull in by importing a constant from a schema module.
 */
export const SERVER_LIBRARIES = [{ library: 'zod', marker: 'ZodError' }];

/** @returns {{ file: string, library: string }[]} client chunks that carry a server-size library */
export function serverLibrariesInClient() {
	const manifestPath = path.join(CLIENT, '.vite/manifest.json');
	/** @type {Record<string, ManifestChunk>} */
	const chunks = JSON.parse(readFileSync(manifestPath, 'utf8'));
	const files = new Set(Object.values(chunks).map((chunk) => chunk.file));
	const found = [];
	for (const file of files) {
		const text = readFileSync(path.join(CLIENT, file), 'utf8');
		for (const { library, marker } of SERVER_LIBRARIES) if (text.includes(marker)) found.push({ file, library });
	}
	return found;
}

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const weights = await measureRoutes();
	const over = weights.filter((weight) => weight.gzipBytes > BUDGET_BYTES);
	console.log(`First-load JS per page, gzipped (budget ${kb(BUDGET_BYTES)}):`);
	for (const weight of weights) {
		console.log(`${weight.gzipBytes > BUDGET_BYTES ? 'OVER' : '    '} ${kb(weight.gzipBytes).padStart(9)}  ${weight.route}`);
	}
	const leaked = serverLibrariesInClient();
	for (const { file, library } of leaked) console.error(`${library} is in the client chunk ${file}: import plain constants, not schemas`);
	if (over.length > 0) {
		console.error(`\n${over.length} page(s) load more than ${kb(BUDGET_BYTES)} of gzipped JS: ${over.map((weight) => weight.route).join(', ')}`);
	}
	if (over.length > 0 || leaked.length > 0) process.exit(1);
}
