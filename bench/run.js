// `npm run bench [live|read]`: starts PostgreSQL and production app instances on loopback ports,
// runs the benchmarks, prints each figure with the baseline measured in the same run, writes
// .data/bench/results.json, and stops everything it started (also on Ctrl-C, errors and timeout).
//
// Smaller runs: BENCH_CLIENTS (live clients, default 500), BENCH_ROUNDS (timed rounds per kind,
// default 30), BENCH_READ_CLIENTS (default 50,200), BENCH_READ_REQUESTS (per client per kind,
// default 20). BENCH_BUILD=1 rebuilds first (otherwise the existing build/ is measured).
// BENCH_NODE_ARGS are given to the app instances' node (e.g. "--cpu-prof --cpu-prof-dir=.data/bench/profiles"). Ports: BENCH_PG_PORT (default 54613), BENCH_PORT (first app port, default 34613; the second instance uses the next).
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Environment, BENCH_DIR } from './support/environment.js';
import { benchLive } from './live.js';
import { benchRead } from './read.js';

const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_S ?? 540) * 1000;

/** @param {string} name @param {number} fallback */
function positiveInt(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
	return value;
}

const selected = process.argv.slice(2);
const known = ['live', 'read'];
for (const name of selected) {
	if (!known.includes(name)) {
		console.error(`Unknown benchmark "${name}". Choose from: ${known.join(', ')} (or none for all).`);
		process.exit(2);
	}
}
const wanted = selected.length ? selected : known;

const settings = {
	clients: positiveInt('BENCH_CLIENTS', 500),
	rounds: positiveInt('BENCH_ROUNDS', 30),
	readConcurrencies: (process.env.BENCH_READ_CLIENTS ?? '50,200').split(',').map((n) => {
		const value = Number(n.trim());
		if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error('BENCH_READ_CLIENTS: whole numbers 1-1000, comma separated');
		return value;
	}),
	readRequests: positiveInt('BENCH_READ_REQUESTS', 20),
	pgPort: positiveInt('BENCH_PG_PORT', 54613),
	appPort: positiveInt('BENCH_PORT', 34613)
};
if (settings.clients < 2) throw new Error('BENCH_CLIENTS must be at least 2 (one sends, the others receive)');

const env = new Environment({ pgPort: settings.pgPort, appPorts: [settings.appPort, settings.appPort + 1] });

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
/** @type {{ live?: Awaited<ReturnType<typeof benchLive>>, read?: Awaited<ReturnType<typeof benchRead>> }} */
const results = {};
let exitCode = 0;
try {
	// Other work on the machine moves absolute figures a lot; the load says how much there was.
	const loadAtStart = os.loadavg()[0];
	console.log(`Benchmarks: ${wanted.join(', ')} (${os.cpus().length} cores, load average ${loadAtStart.toFixed(1)}, node ${process.version})`);
	const log = (/** @type {string} */ line) => console.log(line);
	if (wanted.includes('read')) {
		results.read = await benchRead(env, { concurrencies: settings.readConcurrencies, requestsPerClient: settings.readRequests, log });
	}
	if (wanted.includes('live')) {
		results.live = await benchLive(env, { clients: settings.clients, rounds: settings.rounds, log });
	}
	report(results);
	const machine = { cores: os.cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg()[0], node: process.version };
	console.log(`\nLoad average ${machine.loadAverageAtStart.toFixed(1)} at the start, ${machine.loadAverageAtEnd.toFixed(1)} at the end (${machine.cores} cores).`);
	const file = path.join(BENCH_DIR, 'results.json');
	await writeFile(
		file,
		JSON.stringify({ at: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), machine, settings, results }, null, '\t') + '\n'
	);
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

/** @param {typeof results} results */
function report(results) {
	const ms = (/** @type {number} */ x) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(8);
	const ratio = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-').padStart(7);
	const met = (/** @type {{ met: boolean }} */ aim) => (aim.met ? 'met' : 'MISSED');

	if (results.read) {
		const read = results.read;
		console.log('\n== read: the workspace page through tRPC vs HTTP + SELECT 1 on the same pool ==');
		console.log(`workspace = ${read.workspace}`);
		console.log(`baseline  = GET /healthz: HTTP + \`select 1\` through the app's own pool (no cookie)`);
		console.log(`(session) = GET /healthz with the session cookie: the session check every signed-in request pays + SELECT 1`);
		console.log(`Each client sends ${read.requestsPerClient} of each, one after another. Aim: workspace p95 within 3x baseline p95.`);
		console.log('\nclients | request   |   p50 ms |   p95 ms |   p99 ms |  req/s | p95 ratio | aim');
		for (const level of read.levels) {
			const b = level.baseline;
			const s = level.session;
			const w = level.workspace;
			console.log(`${String(level.concurrency).padStart(7)} | healthz   | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | ${String(b.perSecond).padStart(6)} |           |`);
			console.log(`${''.padStart(7)} | (session) | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${String(s.perSecond).padStart(6)} |  (${ratio(s.ratio)}) | (explains the gap; no aim)`);
			console.log(
				`${''.padStart(7)} | workspace | ${ms(w.p50)} | ${ms(w.p95)} | ${ms(w.p99)} | ${String(w.perSecond).padStart(6)} |   ${ratio(level.aim.ratio)} | ${met(level.aim)} (<= ${level.aim.limit}x)`
			);
		}
		console.log('\nEach kind on its own (where a request\'s time goes): latency with one client; CPU per request');
		console.log('(app process, PostgreSQL backends; from /proc); SQL statements per request.');
		console.log('request                    | p50 ms | p95 ms | app CPU ms | db CPU ms | statements');
		for (const [name, cost] of Object.entries(read.breakdown)) {
			const cell = (/** @type {number} */ x, width = 6) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(width);
			console.log(
				`${name.padEnd(26)} | ${cell(cost.p50)} | ${cell(cost.p95)} | ${cell(cost.appCpuMs, 10)} | ${cell(cost.databaseCpuMs, 9)} | ${cell(cost.statements, 10)}`
			);
		}
	}

	if (results.live) {
		const live = results.live;
		console.log(`\n== live: a committed change reaching ${live.clients - 1} other clients vs a bare socket.io echo ==`);
		console.log(`live     = officer POSTs clusters.rename (tRPC; one transaction) -> '${live.single.liveKind}' event at each other client`);
		console.log(`baseline = officer's socket emits 'focus' -> server rebroadcasts 'presence' to the room, no database: the echo`);
		console.log(`${live.rounds} rounds of each, alternating, timed from the sender's side to each receiver (one clock, one process).`);
		console.log('Aims: live p95 within 2x the echo on one instance, 3x across two instances (Postgres adapter).');
		console.log('\nsetup         | broadcast |   p50 ms |   p95 ms |   p99 ms | all-in p95 | missing | p95 ratio | aim');
		for (const [name, scenario, aim] of /** @type {const} */ ([
			['one instance', live.single, live.aims.single],
			['two instances', live.across, live.aims.across]
		])) {
			const e = scenario.echo;
			const l = scenario.live;
			console.log(`${name.padEnd(13)} | echo      | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} |   ${ms(e.lastArrival.p95)} | ${String(e.missing).padStart(7)} |           |`);
			console.log(
				`${''.padEnd(13)} | live      | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |   ${ms(l.lastArrival.p95)} | ${String(l.missing).padStart(7)} |   ${ratio(aim.ratio)} | ${met(aim)} (<= ${aim.limit}x)`
			);
			console.log(
				`${''.padEnd(13)} | (the rename's HTTP answer: p50 ${scenario.mutationHttp.p50.toFixed(1)} ms, p95 ${scenario.mutationHttp.p95.toFixed(1)} ms; ` +
					`with no clients connected: p50 ${scenario.mutationAlone.p50.toFixed(1)} ms, p95 ${scenario.mutationAlone.p95.toFixed(1)} ms)`
			);
			const order = scenario.outOfOrder;
			console.log(
				`${''.padEnd(13)} | (out of seq order: ${order.late} of ${order.events} live events arrived after a later one; ` +
					`a browser would have re-joined to catch up ${order.gaps} times)`
			);
			if (l.byInstance && e.byInstance) {
				l.byInstance.forEach((stats, index) => {
					const echo = /** @type {NonNullable<typeof e.byInstance>} */ (e.byInstance)[index];
					console.log(
						`${''.padEnd(13)} |   clients on instance ${index + 1}${index === 0 ? ' (where it enters)' : ' (via the adapter)'}: echo p95 ${echo.p95.toFixed(1)} ms, live p95 ${stats.p95.toFixed(1)} ms`
					);
				});
			}
		}
		console.log('(all-in = the slowest client per round: when everyone had it.)');
	}
}
