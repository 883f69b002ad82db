// Reads: the workspace page's data through tRPC at 50 and 200 concurrent signed-in clients, quiet
// and while another client commits a change to the same workspace every 100 ms (it starts a bid:
// support/writer.js), against a baseline of equal database work:
//   - workspace: one batched GET of workspace.get, workspace.members, workspace.settings and
//     workspace.activity (everything the workspace page shows), as a browser's tRPC client sends
//     it, with the person's session cookie. Whatever the app caches, it may use.
//   - baseline: the SQL statements that same batch sends when nothing is cached (a session the app
//     has not seen, a workspace just changed), captured from PostgreSQL's log and replayed straight
//     through a pool of the app's size, keeping the app's concurrency (support/replay.js). The same
//     database work with none of the app: no HTTP, no session check beyond its SQL, no JSON.
// Phases run for a set time (not a set count) and alternate (baseline, workspace, then again), so
// both see the same machine; the writer runs through both phases of a "writing" round.
import { batchQueryUrl, batchQuery, mutate } from './support/trpc.js';
import { round, summarise } from './support/stats.js';
import { captureStatements, replayer } from './support/replay.js';
import { closedLoop, timedGet } from './support/load.js';
import { startWriter } from './support/writer.js';

export const WORKSPACE_QUERIES = ['workspace.get', 'workspace.members', 'workspace.settings', 'workspace.activity'];
const AIM_RATIO = 3;
const WRITE_EVERY_MS = 100;

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ concurrencies: number[], phaseMs: number, rounds: number, set: string, log: (line: string) => void }} options
 */
export async function benchRead(env, { concurrencies, phaseMs, rounds, set, log }) {
	const [instance] = await env.instances(1);
	const workspace = await env.workspace();
	const database = await env.database();
	const clusterInput = { clusterId: workspace.clusterId };
	const workspaceUrl = batchQueryUrl(instance.origin, WORKSPACE_QUERIES, WORKSPACE_QUERIES.map(() => clusterInput));
	const most = Math.max(...concurrencies);
	const memberTokens = await env.sessions(Array.from({ length: most + 1 }, (_, i) => workspace.memberIds[i % workspace.memberIds.length]));
	const [officerToken] = await env.sessions([workspace.officerId]);
	const [captureToken, ...tokens] = memberTokens;
	// The batch must really answer (a refusal would be fast and flatter the figures).
	const [page] = await batchQuery(workspaceUrl, tokens[0]);
	if (page?.cluster?.id !== workspace.clusterId) throw new Error('workspace.get did not return the Banbury workspace');

	// The baseline's statements: the batch right after a commit to this workspace, from a session
	// the app has never seen, so nothing it does can come from a cache.
	const names = /** @type {[string, string]} */ ([workspace.clusterName, `${workspace.clusterName} locality`]);
	const renameTo = async (/** @type {string} */ name) => {
		const [{ cluster }] = await batchQuery(batchQueryUrl(instance.origin, ['workspace.get'], [clusterInput]), officerToken);
		await mutate(instance.origin, officerToken, 'clusters.rename', { clusterId: workspace.clusterId, name, version: cluster.version, reason: 'Benchmark: reading after a change.' });
	};
	await renameTo(names[1]);
	await renameTo(names[0]);
	const uncached = await captureStatements(database, async () => void (await batchQuery(workspaceUrl, captureToken)));
	const cached = await captureStatements(database, async () => void (await batchQuery(workspaceUrl, captureToken)));
	if (uncached.length === 0) throw new Error('The uncached workspace batch sent no SQL: nothing to compare with.');
	const replay = replayer(database.url, uncached, Number(process.env.DB_POOL_SIZE ?? 20));
	log(`\nread (${set}): baseline = the uncached batch's ${replay.statements} SQL statements on ${replay.backends} connections, replayed; the cached batch sends ${cached.length}.`);

	const levels = [];
	try {
		await replay.run(); // fails loudly here if a statement cannot be replayed
		for (const concurrency of concurrencies) {
			const clientTokens = tokens.slice(0, concurrency);
			const kinds = [
				{ name: 'baseline', request: async () => (await replay.run(), true) },
				{
					name: 'workspace',
					request: async (/** @type {number} */ client) => {
						const { ok, status } = await timedGet(workspaceUrl, clientTokens[client]);
						if (!ok) throw new Error(`the workspace batch answered HTTP ${status}`);
						return true;
					}
				}
			];
			for (const condition of /** @type {const} */ (['quiet', 'writing'])) {
				log(`read (${set}): ${concurrency} clients, ${condition}, ${rounds} rounds of ${phaseMs / 1000} s per kind...`);
				for (const kind of kinds) await closedLoop(concurrency, Math.min(2_000, phaseMs), kind.request); // warm
				const writer =
					condition === 'writing'
						? await startWriter(env, { clusterId: workspace.clusterId, everyMs: WRITE_EVERY_MS })
						: undefined;
				const samples = kinds.map(() => ({ latencies: /** @type {number[]} */ ([]), seconds: 0, failures: 0, firstError: /** @type {string | undefined} */ (undefined) }));
				/** @type {number[]} */
				const roundRatios = [];
				/** @type {Awaited<ReturnType<NonNullable<typeof writer>['stop']>> | undefined} */
				let writes;
				try {
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
				} finally {
					writes = await writer?.stop();
				}
				const failures = samples.reduce((sum, s) => sum + s.failures, 0);
				if (failures > 0) {
					const why = samples.map((s, index) => s.firstError && `${kinds[index].name}: ${s.failures}, e.g. ${s.firstError}`).filter(Boolean);
					throw new Error(`${failures} read requests failed at ${concurrency} clients (${condition}): ${why.join('; ')}`);
				}
				const [baselineStats, workspaceStats] = samples.map((s) => ({ ...summarise(s.latencies), perSecond: Math.round(s.latencies.length / s.seconds) }));
				const ratio = round(workspaceStats.p95 / baselineStats.p95);
				levels.push({
					concurrency,
					condition,
					baseline: baselineStats,
					workspace: workspaceStats,
					writes,
					roundRatios,
					aim: { measure: 'workspace p95 / baseline p95', ratio, limit: AIM_RATIO, met: ratio <= AIM_RATIO }
				});
			}
		}
	} finally {
		await replay.close();
	}
	return {
		set,
		workspace: `tRPC batch ${WORKSPACE_QUERIES.join(',')}`,
		baseline: { statements: replay.statements, connections: replay.backends, sql: uncached.map((s) => s.sql.slice(0, 120)) },
		cachedStatements: cached.length,
		phaseSeconds: phaseMs / 1000,
		rounds,
		levels
	};
}
