// `npm run bench -- read|live|scale|write|eoi|all` (several may be named; none means all): starts
// PostgreSQL and production app instances on loopback ports, runs the benchmarks, prints each figure
// with the baseline measured in the same run, writes .data/bench/results.json, and stops everything
// it started (also on Ctrl-C, errors and the time limit). Variables: see bench/README.md.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Environment, BENCH_DIR } from './support/environment.js';
import { report } from './support/report.js';
import { benchLive } from './live.js';
import { benchRead } from './read.js';
import { benchEoi, compareEoi } from './eoi.js';
import { comparePages, measurePages } from './scale.js';
import { measureWrites, wideLocality } from './write.js';

/** @param {string} name @param {number} fallback */
function positiveNumber(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
}
/** @param {string} name @param {number} fallback */
function positiveInt(name, fallback) {
	const value = positiveNumber(name, fallback);
	if (!Number.isInteger(value)) throw new Error(`${name} must be a positive whole number`);
	return value;
}

const known = ['read', 'live', 'scale', 'write', 'eoi'];
const selected = process.argv.slice(2).filter((name) => name !== 'all');
for (const name of selected) {
	if (!known.includes(name)) {
		console.error(`Unknown benchmark "${name}". Choose from: ${known.join(', ')}, all.`);
		process.exit(2);
	}
}
const wanted = selected.length ? selected : known;
const set = process.env.BENCH_SCALE ?? 'county';
if (!['county', 'england', 'both'].includes(set)) throw new Error('BENCH_SCALE is county, england or both');

const settings = {
	set,
	clients: positiveInt('BENCH_CLIENTS', 500),
	liveRounds: positiveInt('BENCH_ROUNDS', 30),
	readConcurrencies: (process.env.BENCH_READ_CLIENTS ?? '50,200').split(',').map((n) => {
		const value = Number(n.trim());
		if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error('BENCH_READ_CLIENTS: whole numbers 1-1000, comma separated');
		return value;
	}),
	readRounds: positiveInt('BENCH_READ_ROUNDS', 3),
	phaseMs: positiveNumber('BENCH_PHASE_S', 10) * 1000,
	scaleRequests: positiveInt('BENCH_SCALE_REQUESTS', 30),
	writeSamples: positiveInt('BENCH_WRITE_SAMPLES', 5),
	repeat: positiveInt('BENCH_REPEAT', 1),
	seed: positiveInt('BENCH_SEED', 2026),
	englandScale: positiveNumber('BENCH_ENGLAND_SCALE', 1),
	pgPort: positiveInt('BENCH_PG_PORT', 25613),
	appPort: positiveInt('BENCH_PORT', 24613)
};
if (settings.clients < 2) throw new Error('BENCH_CLIENTS must be at least 2 (one sends, the others receive)');
const TIME_LIMIT_MS = positiveNumber('BENCH_TIME_LIMIT_S', 2400) * 1000;

// Two instances for the live benchmark; the third serves the county's own copy for the scale pages.
const env = new Environment({ pgPort: settings.pgPort, appPorts: [settings.appPort, settings.appPort + 1], twinPort: settings.appPort + 2 });

let closing = false;
/** @param {number} code */
async function closeAndExit(code) {
	if (closing) return;
	closing = true;
	await env.close().catch((error) => console.error('while stopping:', error));
	process.exit(code);
}
process.on('SIGINT', () => {
	console.error('\nInterrupted: stopping the app instances and PostgreSQL...');
	void closeAndExit(130);
});
process.on('SIGTERM', () => void closeAndExit(143));
const limit = setTimeout(() => {
	console.error(`\nThe benchmark ran past its ${TIME_LIMIT_MS / 1000} s limit: stopping.`);
	void closeAndExit(1);
}, TIME_LIMIT_MS);

const started = Date.now();
/** @type {import('./support/report.js').Results} */
const results = {};
/** Written after each benchmark too, so a run stopped part-way keeps what it measured. */
const saveResults = async (/** @type {Record<string, unknown>} */ extra = {}) => {
	const at = new Date().toISOString();
	const seconds = Math.round((Date.now() - started) / 1000);
	await writeFile(path.join(BENCH_DIR, 'results.json'), JSON.stringify({ at, seconds, settings, ...extra, results }, null, '\t') + '\n');
};
let exitCode = 0;
try {
	// Other work on the machine moves absolute figures a lot; the load says how much there was.
	const loadAtStart = os.loadavg()[0];
	console.log(`Benchmarks: ${wanted.join(', ')} (${os.cpus().length} cores, load average ${loadAtStart.toFixed(1)}, node ${process.version})`);
	const log = (/** @type {string} */ line) => console.log(line);
	const has = (/** @type {string} */ name) => wanted.includes(name);
	// Whatever is compared with the county is measured on the county first: the England set only adds.
	const runSet = async (/** @type {'county' | 'england'} */ label) => {
		const saved = async () => {
			console.log(`  (${Math.round((Date.now() - started) / 1000)} s so far)`);
			await saveResults({ partial: true });
		};
		if (label === 'england') {
			// The scale pages are fetched from the county alone and from England side by side: the county's
			// copy is taken now, before England is added.
			if (has('scale')) await env.countyTwin();
			const at = Date.now();
			await env.england({ seed: settings.seed, scale: settings.englandScale });
			results.englandSeconds = Math.round((Date.now() - at) / 1000);
		}
		const workspace = await env.workspace();
		const readHere = has('read') && (set === label || set === 'both');
		// Repeats alternate the benchmarks, so each sees the machine as the others did.
		for (let repeat = 1; repeat <= settings.repeat; repeat++) {
			const tag = settings.repeat > 1 ? ` #${repeat}` : '';
			if (has('write')) {
				const writes = (results.write ??= []);
				writes.push(await measureWrites(env, { clusterId: workspace.clusterId, label: `${label}, Banbury${tag}`, samples: settings.writeSamples, log }));
				if (label === 'england') {
					const wide = await wideLocality(env);
					writes.push(await measureWrites(env, { clusterId: wide, label: `england, 200-setting locality${tag}`, samples: settings.writeSamples, log }));
				}
				await saved();
			}
			if (has('scale') && label === 'england') {
				const twin = await env.countyTwin();
				const [instance] = await env.instances(1);
				const { url } = await env.database();
				const sides = { county: { origin: twin.instance.origin, url: twin.url }, england: { origin: instance.origin, url } };
				const run = await measurePages(sides, { requests: settings.scaleRequests, label: `county and England${tag}`, log });
				const scalePages = (results.scalePages ??= {});
				(scalePages.county ??= []).push(run.county);
				(scalePages.england ??= []).push(run.england);
				await saved();
			}
			if (has('eoi')) {
				const run = await benchEoi(env, { concurrencies: settings.readConcurrencies, phaseMs: settings.phaseMs, rounds: settings.readRounds, set: `${label}${tag}`, log });
				((results.eoi ??= {})[label] ??= []).push(run);
				await saved();
			}
			if (readHere) {
				const run = await benchRead(env, { concurrencies: settings.readConcurrencies, phaseMs: settings.phaseMs, rounds: settings.readRounds, set: `${label}${tag}`, log });
				((results.read ??= {})[label] ??= []).push(run);
				await saved();
			}
		}
		if ((set === label || set === 'both') && has('live')) {
			(results.live ??= []).push(await benchLive(env, { clients: settings.clients, rounds: settings.liveRounds, log }));
			await saved();
		}
	};
	await runSet('county');
	if (set !== 'county' || has('scale') || has('write') || has('eoi')) await runSet('england');
	if (results.eoi?.county && results.eoi.england) {
		results.eoiEngland = compareEoi(results.eoi.county, results.eoi.england);
		for (const row of results.eoiEngland) {
			console.log(
				`eoi: ${row.concurrency} clients: England p95 ${row.englandP95} ms vs county ${row.countyP95} ms (medians over runs), ratio ${row.ratio} (per run: ${row.ratios.join(' ')}; aim 2x: ${row.met ? 'met' : 'not met'})`
			);
		}
	}
	if (results.scalePages?.county && results.scalePages.england) results.scale = comparePages(results.scalePages.county, results.scalePages.england);
	report(results);
	const machine = { cores: os.cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg()[0], node: process.version };
	console.log(`\nLoad average ${machine.loadAverageAtStart.toFixed(1)} at the start, ${machine.loadAverageAtEnd.toFixed(1)} at the end (${machine.cores} cores).`);
	const file = path.join(BENCH_DIR, 'results.json');
	await saveResults({ machine });
	console.log(`\nResults written to ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - started) / 1000)} s in all).`);
} catch (error) {
	if (closing) await new Promise(() => undefined); // interrupted: closeAndExit is already on its way
	console.error('\nThe benchmark failed:', error instanceof Error ? error.message : error);
	if (error instanceof Error && error.stack) console.error(error.stack.split('\n').slice(1, 6).join('\n'));
	exitCode = 1;
} finally {
	clearTimeout(limit);
	await closeAndExit(exitCode);
}
