// Demo seed out of the production start: after `npm run build`, checks that the demo county's data
// (db/seed) is in the built server only in chunks of its own, which no other chunk imports
// statically and only the boot chunk imports dynamically (when dev or SEED_DEMO=1 asks for a
// seed). A production start without SEED_DEMO therefore never loads it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = path.join(ROOT, 'build');

/** Text only the demo seed carries: a setting, a person, a feed entry and the round it adds. */
export const DEMO_MARKERS = ['Banbury Brightwater School', 'Grace Mensah', 'First Banbury steering group', 'Banbury pooled fund 2026/27'];
/** Text only boot() carries, next to its dynamic import of the seed. */
const BOOT_MARKER = 'empty database: demo county seeded';
/** adapter-node's entries: what `npm start` imports first. */
const ENTRIES = ['index.js', 'handler.js'];

const STATIC_IMPORT = /(?:^|[\s;}])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** @param {string} dir @returns {string[]} the server's JS files, relative to build/ */
function serverFiles(dir = BUILD) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'client' && dir === BUILD ? [] : serverFiles(full);
		return entry.name.endsWith('.js') ? [path.relative(BUILD, full)] : [];
	});
}

/**
 * @param {string} from @param {string} text @param {RegExp} pattern
 * @returns {string[]} the build files this file imports with that kind of import
 */
function importsOf(from, text, pattern) {
	return [...text.matchAll(pattern)].map((match) => path.join(path.dirname(from), match[1]));
}

/** @returns {string[]} every way the build could load demo data on a start that did not ask for it */
export function demoSeedProblems() {
	if (!existsSync(path.join(BUILD, 'handler.js'))) throw new Error(`No server build at ${BUILD}: run \`npm run build\` first.`);
	const files = serverFiles();
	const text = new Map(files.map((file) => [file, readFileSync(path.join(BUILD, file), 'utf8')]));
	const seedChunks = files.filter((file) => DEMO_MARKERS.some((marker) => text.get(file)?.includes(marker)));
	const bootChunks = files.filter((file) => text.get(file)?.includes(BOOT_MARKER));
	const problems = [];
	if (seedChunks.length === 0) problems.push('the demo seed is missing from the build (SEED_DEMO=1 could not seed)');
	if (bootChunks.length === 0) problems.push(`no chunk carries boot()'s "${BOOT_MARKER}": update this check`);
	for (const file of seedChunks) {
		if (ENTRIES.includes(file)) problems.push(`${file} is an entry and carries demo data`);
		if (bootChunks.includes(file)) problems.push(`${file} carries boot() and the demo data together`);
	}
	for (const [file, body] of text) {
		for (const imported of importsOf(file, body, STATIC_IMPORT)) {
			if (seedChunks.includes(imported) && !seedChunks.includes(file)) problems.push(`${file} imports the demo seed chunk ${imported} statically`);
		}
		for (const imported of importsOf(file, body, DYNAMIC_IMPORT)) {
			if (seedChunks.includes(imported) && !bootChunks.includes(file)) problems.push(`${file} loads the demo seed chunk ${imported}; only boot() should`);
		}
	}
	return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const problems = demoSeedProblems();
	for (const problem of problems) console.error(`Demo seed in the production bundle: ${problem}`);
	if (problems.length > 0) process.exit(1);
	console.log('Demo seed: only in its own chunk, loaded by boot() when seeding is asked for.');
}
