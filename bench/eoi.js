// The sufficiency dashboard's data (`capitalMoney.dashboard`, as the dashboard page reads it) at 50
// and 200 concurrent officers, against a baseline of equal database work: the SQL statements one
// dashboard request sends when nothing is remembered (right after a change to the programme),
// captured from PostgreSQL's log and replayed straight through a pool of the app's size
// (support/replay.js). The app works the figures out once per change to the programme and
// otherwise reads the programme room's number; the ratio shows what that saves, and what the app
// adds on top (HTTP, the session, tRPC, JSON), as the read benchmark does for the workspace.
// Phases run for a set time and alternate (baseline, dashboard), so both see the same machine.
// Measured on the county, then again with the England set beside it.
import { batchQueryUrl, batchQuery, mutate } from './support/trpc.js';
import { round, summarise } from './support/stats.js';
import { median } from './scale.js';
import { captureStatements, replayer } from './support/replay.js';
import { closedLoop, timedGet } from './support/load.js';

const AIM_RATIO = 3;

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ concurrencies: number[], phaseMs: number, rounds: number, set: string, log: (line: string) => void }} options
 */
export async function benchEoi(env, { concurrencies, phaseMs, rounds, set, log }) {
	const [instance] = await env.instances(1);
	const workspace = await env.workspace();
	const database = await env.database();
	const url = batchQueryUrl(instance.origin, ['capitalMoney.dashboard'], [{}]);
	const most = Math.max(...concurrencies);
	const [captureToken, ...tokens] = await env.sessions(Array.from({ length: most + 1 }, () => workspace.officerId));
	// The request must really answer with the county's figures (a refusal would be fast and flatter them).
	const [figures] = await batchQuery(url, tokens[0]);
	if (!Array.isArray(figures?.placesByDistrict) || figures.placesByDistrict.length === 0) throw new Error('capitalMoney.dashboard returned no districts');
	// The baseline's statements: the dashboard right after a change to the programme (an officer
	// proposes a move between lines), from a session the app has never seen, so nothing is remembered.
	const [first, second] = figures.lines;
	await mutate(instance.origin, tokens[0], 'capitalMoney.proposeTransfer', { fromLineId: first.id, toLineId: second.id, amountPence: 100, reason: 'Benchmark: reading after a change.' });
	const statements = await captureStatements(database, async () => void (await batchQuery(url, captureToken)));
	const remembered = await captureStatements(database, async () => void (await batchQuery(url, captureToken)));
	if (statements.length === 0) throw new Error('The dashboard sent no SQL: nothing to compare with.');
	const replay = replayer(database.url, statements, Number(process.env.DB_POOL_SIZE ?? 20));
	log(`\neoi (${set}): baseline = the uncached dashboard's ${replay.statements} SQL statements on ${replay.backends} connections, replayed; once remembered it sends ${remembered.length}.`);
	const levels = [];
	try {
		await replay.run();
		for (const concurrency of concurrencies) {
			const clientTokens = tokens.slice(0, concurrency);
			const kinds = [
				{ name: 'baseline', request: async () => (await replay.run(), true) },
				{
					name: 'dashboard',
					request: async (/** @type {number} */ client) => {
						const { ok, status } = await timedGet(url, clientTokens[client]);
						if (!ok) throw new Error(`the dashboard answered HTTP ${status}`);
						return true;
					}
				}
			];
			log(`eoi (${set}): ${concurrency} clients, ${rounds} rounds of ${phaseMs / 1000} s per kind...`);
			for (const kind of kinds) await closedLoop(concurrency, Math.min(2_000, phaseMs), kind.request); // warm
			const samples = kinds.map(() => ({ latencies: /** @type {number[]} */ ([]), seconds: 0, failures: 0, firstError: /** @type {string | undefined} */ (undefined) }));
			/** @type {number[]} */
			const roundRatios = [];
			for (let r = 0; r < rounds; r++) {
				const p95s = [];
				for (const [index, kind] of kinds.entries()) {
					const run = await closedLoop(concurrency, phaseMs, kind.request);
					samples[index].latencies.push(...run.latencies);
					samples[index].seconds += run.seconds;
					samples[index].failures += run.failures;
					samples[index].firstError ??= run.firstError;
					p95s.push(summarise(run.latencies).p95);
				}
				roundRatios.push(round(p95s[1] / p95s[0]));
			}
			const failures = samples.reduce((sum, s) => sum + s.failures, 0);
			if (failures > 0) throw new Error(`${failures} dashboard requests failed at ${concurrency} clients: ${samples.map((s) => s.firstError).filter(Boolean).join('; ')}`);
			const [baselineStats, dashboardStats] = samples.map((s) => ({ ...summarise(s.latencies), perSecond: Math.round(s.latencies.length / s.seconds) }));
			const ratio = round(dashboardStats.p95 / baselineStats.p95);
			levels.push({ concurrency, baseline: baselineStats, dashboard: dashboardStats, roundRatios, aim: { measure: 'dashboard p95 / baseline p95', ratio, limit: AIM_RATIO, met: ratio <= AIM_RATIO } });
			log(`eoi (${set}): ${concurrency} clients: dashboard p95 ${round(dashboardStats.p95)} ms, baseline p95 ${round(baselineStats.p95)} ms, ratio ${ratio} (rounds ${roundRatios.join(', ')})`);
		}
	} finally {
		await replay.close();
	}
	return { set, statements: replay.statements, rememberedStatements: remembered.length, phaseSeconds: phaseMs / 1000, rounds, levels };
}

/**
 * The England p95 against the county's at each level (aim: within 2x): each run's England figure
 * over the same run's county figure, then the median of those ratios (one run disturbed by the
 * machine moves the median less than it moves a single pair), with the median p95s beside it.
 * @param {Awaited<ReturnType<typeof benchEoi>>[]} county one per run
 * @param {Awaited<ReturnType<typeof benchEoi>>[]} england one per run
 */
export function compareEoi(county, england) {
	const p95At = (/** @type {Awaited<ReturnType<typeof benchEoi>>} */ run, /** @type {number} */ concurrency) => run.levels.find((l) => l.concurrency === concurrency)?.dashboard.p95 ?? Number.NaN;
	return county[0].levels.map(({ concurrency }) => {
		const ratios = county.map((run, i) => (england[i] ? round(p95At(england[i], concurrency) / p95At(run, concurrency)) : Number.NaN)).filter(Number.isFinite);
		const ratio = ratios.length ? median(ratios) : null;
		return {
			concurrency,
			countyP95: median(county.map((run) => p95At(run, concurrency))),
			englandP95: median(england.map((run) => p95At(run, concurrency))),
			ratios,
			ratio,
			limit: 2,
			met: ratio !== null && ratio <= 2
		};
	});
}
