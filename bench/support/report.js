// What a run prints: each figure beside its baseline and the aim, in plain tables.
/**
 * @typedef {{
 *   read?: Record<string, Awaited<ReturnType<typeof import('../read.js').benchRead>>[]>,
 *   live?: Awaited<ReturnType<typeof import('../live.js').benchLive>>[],
 *   write?: Awaited<ReturnType<typeof import('../write.js').measureWrites>>[],
 *   scalePages?: Partial<Record<'county' | 'england', Awaited<ReturnType<typeof import('../scale.js').measurePages>>['county'][]>>,
 *   scale?: ReturnType<typeof import('../scale.js').comparePages>,
 *   eoi?: Record<string, Awaited<ReturnType<typeof import('../eoi.js').benchEoi>>[]>,
 *   eoiEngland?: ReturnType<typeof import('../eoi.js').compareEoi>,
 *   englandSeconds?: number
 * }} Results
 */
import { STATEMENT_AIM } from '../write.js';
import { median } from '../scale.js';
import { ROUND_TIMEOUT_MS } from './rounds.js';

const ms = (/** @type {number} */ x, width = 8) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(width);
const ratio = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-').padStart(7);
const met = (/** @type {boolean} */ ok) => (ok ? 'met' : 'MISSED');
const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
/** Runs' figures, their median and spread ((max - min) / median), e.g. `1.20 1.31 1.25 (spread 9%)`. @param {number[]} values */
const spreadOf = (values) => {
	const mid = median(values);
	const spread = values.length > 1 ? Math.round(((Math.max(...values) - Math.min(...values)) / mid) * 100) : 0;
	return { mid, spread, text: `${values.map((x) => x.toFixed(2)).join(' ')}${values.length > 1 ? ` (spread ${spread}%)` : ''}` };
};

/** @param {Results} results */
export function report(results) {
	if (results.englandSeconds !== undefined) console.log(`\nThe England set was added in ${results.englandSeconds} s.`);
	for (const runs of Object.values(results.read ?? {})) {
		for (const run of runs) reportRead(run);
		if (runs.length > 1) summariseReads(runs);
	}
	if (results.scale) reportScale(results.scale);
	if (results.write) reportWrite(results.write);
	for (const live of results.live ?? []) reportLive(live);
}

/** @param {Awaited<ReturnType<typeof import('../read.js').benchRead>>} read */
function reportRead(read) {
	console.log(`\n== read (${read.set} set): the workspace batch vs the same database work, replayed ==`);
	console.log(`workspace = ${read.workspace}, with a session cookie (caches allowed)`);
	console.log(`baseline  = its uncached SQL (${read.baseline.statements} statements on ${read.baseline.connections} connections) replayed through a pool`);
	console.log(`(the cached batch sent ${read.cachedStatements} statements). ${read.rounds} rounds of ${read.phaseSeconds} s per kind, alternating.`);
	console.log('writing = a SENCO starts a bid in the workspace every 100 ms (open loop), through both kinds of phase.');
	console.log('Aim: workspace p95 within 3x baseline p95 (the one that matters: with writes).');
	console.log('\nclients | condition | kind      |   p50 ms |   p95 ms |   p99 ms |  req/s | p95 ratio | per round     | aim');
	for (const level of read.levels) {
		const b = level.baseline;
		const w = level.workspace;
		const spread = `${Math.min(...level.roundRatios).toFixed(2)}-${Math.max(...level.roundRatios).toFixed(2)}x`;
		console.log(`${String(level.concurrency).padStart(7)} | ${level.condition.padEnd(9)} | baseline  | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | ${String(b.perSecond).padStart(6)} |           |               |`);
		console.log(
			`${''.padStart(7)} | ${''.padEnd(9)} | workspace | ${ms(w.p50)} | ${ms(w.p95)} | ${ms(w.p99)} | ${String(w.perSecond).padStart(6)} |   ${ratio(level.aim.ratio)} | ${spread.padEnd(13)} | ${met(level.aim.met)} (<= ${level.aim.limit}x)`
		);
		if (level.writes) {
			const x = level.writes;
			console.log(`${''.padStart(7)} | ${''.padEnd(9)} | (writes: ${x.committed} committed, ${x.perSecond}/s; ${x.failed} failed)`);
		}
	}
}

/** @param {Awaited<ReturnType<typeof import('../read.js').benchRead>>[]} runs */
function summariseReads(runs) {
	console.log(`\nread over ${runs.length} runs (${runs.map((run) => run.set).join(', ')}): workspace p95 / baseline p95 in each, the median and spread`);
	runs[0].levels.forEach((level, index) => {
		const { mid, text } = spreadOf(runs.map((run) => run.levels[index].aim.ratio));
		console.log(`  ${String(level.concurrency).padStart(4)} clients, ${level.condition.padEnd(7)}: ${text}; median ${mid.toFixed(2)}x: ${met(mid <= level.aim.limit)} (<= ${level.aim.limit}x)`);
	});
}

/** @param {NonNullable<Results['scale']>} rows */
function reportScale(rows) {
	console.log('\n== scale: p95 of each page by real HTTP with a session, county alone vs with the England set ==');
	console.log('Sizes: as read, and on the wire (compressed when the browser asks). Aim: England p95 within 2x the county\'s.');
	console.log('(p95s are medians over the runs; ratios are per run, then their median and spread.)');
	console.log('\npage                               | county p95 | England p95 | ratio   | county size (wire)       | England size (wire)      | aim    | ratio per run');
	for (const row of rows) {
		const size = (/** @type {{ bytes: number, wire: number } | undefined} */ x) => (x ? `${kb(x.bytes)} (${kb(x.wire).trim()})` : '-').padEnd(24);
		console.log(
			`${row.name.slice(0, 34).padEnd(34)} | ${ms(row.county.p95, 10)} | ${ms(row.england?.p95 ?? Number.NaN, 11)} | ${ratio(row.ratio)} | ${size(row.county)} | ${size(row.england)} | ${met(row.met).padEnd(6)} | ${spreadOf(row.ratios).text}`
		);
	}
}

/** @param {NonNullable<Results['write']>} runs */
function reportWrite(runs) {
	console.log('\n== write: the heaviest actions, time over HTTP (tRPC) and SQL statements per action ==');
	console.log(`Aim: submitting a bid in a 200-setting locality under ${STATEMENT_AIM} statements; the same action's statements do not grow with the data.`);
	console.log('(p50 and p95 are medians over the runs; p95 per run with the spread.)');
	/** @type {Map<string, typeof runs>} */
	const places = new Map();
	for (const run of runs) {
		const place = run.label.replace(/ #\d+$/, '');
		places.set(place, [...(places.get(place) ?? []), run]);
	}
	console.log('\nwhere                                        | action                 | statements |   p50 ms |   p95 ms | p95 per run');
	for (const [place, placeRuns] of places) {
		for (const name of Object.keys(placeRuns[0].actions)) {
			const actions = placeRuns.map((run) => run.actions[name]);
			const statements = [...new Set(actions.map((a) => a.statements))].join('/');
			console.log(
				`${`${place} (${placeRuns[0].settings} settings)`.padEnd(44)} | ${name.padEnd(22)} | ${statements.padStart(10)} | ${ms(median(actions.map((a) => a.p50)))} | ${ms(median(actions.map((a) => a.p95)))} | ${spreadOf(actions.map((a) => a.p95)).text}`
			);
		}
	}
	const wide = [...places].find(([place]) => place.includes('200-setting'));
	const submit = wide?.[1][0].actions['submit a bid'];
	if (submit) console.log(`\nBid submission in the 200-setting locality: ${submit.statements} statements: ${met(submit.statements < STATEMENT_AIM)} (< ${STATEMENT_AIM}).`);
}

/** @param {NonNullable<Results['live']>[number]} live */
function reportLive(live) {
	console.log(`\n== live: a commit reaching ${live.clients - 1} other clients' screens vs a bare echo and one request of equal size ==`);
	console.log(`live     = officer POSTs clusters.rename; each client, on each kind of event (${live.single.kinds.join(', ')}), makes the refetch the`);
	console.log(`           workspace page makes (${live.single.refetches.join('; ')}): done when all are in`);
	console.log(`baseline = officer's socket emits 'focus' -> 'presence' to the room (no database); each client then GETs one`);
	console.log(`           static file of ${kb(live.single.padBytes).trim()} (the refetches' size) with its session cookie`);
	console.log(`${live.rounds} rounds of each, alternating. Aims: live p95 within 2x baseline on one instance, 3x across two.`);
	console.log('\nsetup         | kind      |   p50 ms |   p95 ms |   p99 ms | all-in p95 | missing | p95 ratio | aim');
	for (const [name, scenario, aim] of /** @type {const} */ ([
		['one instance', live.single, live.aims.single],
		['two instances', live.across, live.aims.across]
	])) {
		const e = scenario.echo;
		const l = scenario.live;
		console.log(`${name.padEnd(13)} | baseline  | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} |   ${ms(e.lastArrival.p95)} | ${String(e.missing).padStart(7)} |           |`);
		console.log(
			`${''.padEnd(13)} | live      | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |   ${ms(l.lastArrival.p95)} | ${String(l.missing).padStart(7)} |   ${ratio(aim.ratio)} | ${met(aim.met)} (<= ${aim.limit}x)`
		);
		console.log(`${''.padEnd(13)} | (the event alone, before refetching: live p95 ${scenario.eventOnly.live.p95.toFixed(1)} ms, echo p95 ${scenario.eventOnly.echo.p95.toFixed(1)} ms)`);
		console.log(
			`${''.padEnd(13)} | (the rename's HTTP answer: p95 ${scenario.mutationHttp.p95.toFixed(1)} ms; with no clients connected: p95 ${scenario.mutationAlone.p95.toFixed(1)} ms)`
		);
		const failed = scenario.failedRequests;
		if (failed.live || failed.echo) console.log(`${''.padEnd(13)} | (failed: ${failed.live} live refetches, ${failed.echo} baseline files; first: ${failed.first})`);
		const order = scenario.outOfOrder;
		console.log(`${''.padEnd(13)} | (out of seq order: ${order.late} of ${order.events} live events; a browser would have re-joined ${order.gaps} times)`);
		if (l.byInstance && e.byInstance) {
			l.byInstance.forEach((stats, index) => {
				const echo = /** @type {NonNullable<typeof e.byInstance>} */ (e.byInstance)[index];
				console.log(`${''.padEnd(13)} |   clients on instance ${index + 1}${index === 0 ? ' (where it enters)' : ' (via the adapter)'}: baseline p95 ${echo.p95.toFixed(1)} ms, live p95 ${stats.p95.toFixed(1)} ms`);
			});
		}
	}
	console.log('(all-in = the slowest client per round: when everyone was up to date. A client still waiting when its round');
	console.log(` gave up (missing) counts as ${ROUND_TIMEOUT_MS / 1000} s, so with any missing the p95s are lower bounds.)`);
}
