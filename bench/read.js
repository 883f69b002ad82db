// Reads: the workspace page's data through tRPC at 50 and 200 concurrent signed-in clients,
// against the cheapest request that goes through the same app and the same database pool.
//   - workspace: one batched GET of workspace.get, workspace.members, workspace.settings and
//     workspace.activity (everything the workspace page shows), as a browser's tRPC client sends
//     it, with the person's session cookie.
//   - baseline: GET /healthz, which runs `select 1` through the app's pool (HTTP + SELECT 1 on the
//     same pool; no cookie, so no session look-up).
//   - also shown, to explain the gap: GET /healthz with the session cookie, i.e. the session check
//     every signed-in request pays, plus the same SELECT 1.
// Each client sends its requests one after another; phases alternate (baseline, session,
// workspace, then again) so all see the same machine.
import { batchQueryUrl, batchQuery } from './support/trpc.js';
import { cookieFor } from './support/sessions.js';
import { round, summarise } from './support/stats.js';
import { postgresCpuMs, processCpuMs } from './support/cpu.js';
import { statementsPerRequest } from './support/statements.js';

export const WORKSPACE_QUERIES = ['workspace.get', 'workspace.members', 'workspace.settings', 'workspace.activity'];
const AIM_RATIO = 3;

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ concurrencies: number[], requestsPerClient: number, log: (line: string) => void }} options
 */
export async function benchRead(env, { concurrencies, requestsPerClient, log }) {
	const [instance] = await env.instances(1);
	const workspace = await env.workspace();
	const clusterInput = { clusterId: workspace.clusterId };
	const workspaceUrl = batchQueryUrl(instance.origin, WORKSPACE_QUERIES, WORKSPACE_QUERIES.map(() => clusterInput));
	const healthzUrl = `${instance.origin}/healthz`;

	const most = Math.max(...concurrencies);
	const tokens = await env.sessions(Array.from({ length: most }, (_, i) => workspace.memberIds[i % workspace.memberIds.length]));

	// The batch must really answer (a refusal would be fast and flatter the figures).
	const [page] = await batchQuery(workspaceUrl, tokens[0]);
	if (page?.cluster?.id !== workspace.clusterId) throw new Error('workspace.get did not return the Banbury workspace');

	/** @type {{ name: string, url: string, withSession: boolean }} */
	const baseline = { name: 'healthz (HTTP + SELECT 1)', url: healthzUrl, withSession: false };
	const target = { name: `tRPC batch ${WORKSPACE_QUERIES.join(',')}`, url: workspaceUrl, withSession: true };
	// Not an aim, an explanation: what every signed-in request pays before any procedure runs.
	const session = { name: 'healthz with a session cookie (the session check + SELECT 1)', url: healthzUrl, withSession: true };

	// Where a request's time goes, each kind on its own: latency with one client and nobody else
	// about; CPU per request in the app process and in PostgreSQL (from /proc, so other work on the
	// machine hardly moves it); and how many SQL statements it sends.
	log(`\nread: each kind of request on its own, for the breakdown...`);
	const alone = [
		{ name: 'healthz', url: healthzUrl, withSession: false },
		{ name: 'healthz + session cookie', url: healthzUrl, withSession: true },
		...WORKSPACE_QUERIES.map((path) => ({
			name: path,
			url: batchQueryUrl(instance.origin, [path], [clusterInput]),
			withSession: true
		})),
		{ name: 'whole batch', url: workspaceUrl, withSession: true }
	];
	const database = await env.database();
	const postmaster = database.postmasterPid();
	/** @type {Record<string, ReturnType<typeof summarise> & { appCpuMs: number, databaseCpuMs: number, statements: number }>} */
	const breakdown = {};
	for (const request of alone) await load(request, tokens.slice(0, 4), 10); // warm
	const statements = await statementsPerRequest(
		database,
		alone.map((request) => ({ name: request.name, run: async () => void (await load(request, [tokens[0]], 1)) })),
		5
	);
	for (const request of alone) {
		const latency = summarise((await load(request, [tokens[0]], 40)).latencies);
		const cpuRequests = 4 * 60;
		const app0 = processCpuMs(instance.pid);
		const db0 = postgresCpuMs(postmaster);
		await load(request, tokens.slice(0, 4), cpuRequests / 4);
		breakdown[request.name] = {
			...latency,
			appCpuMs: round((processCpuMs(instance.pid) - app0) / cpuRequests),
			databaseCpuMs: round((postgresCpuMs(postmaster) - db0) / cpuRequests),
			statements: statements[request.name]
		};
	}

	const levels = [];
	for (const concurrency of concurrencies) {
		const clientTokens = tokens.slice(0, concurrency);
		const half = Math.max(1, Math.round(requestsPerClient / 2));
		log(`read: ${concurrency} concurrent clients, ${requestsPerClient} requests each per kind...`);
		const kinds = [baseline, session, target];
		for (const kind of kinds) await load(kind, clientTokens, 2);
		const samples = kinds.map(() => ({ latencies: /** @type {number[]} */ ([]), seconds: 0 }));
		let failures = 0;
		for (let phase = 0; phase < 2; phase++) {
			for (const [index, kind] of kinds.entries()) {
				const run = await load(kind, clientTokens, half);
				samples[index].latencies.push(...run.latencies);
				samples[index].seconds += run.seconds;
				failures += run.failures;
			}
		}
		if (failures > 0) throw new Error(`${failures} read requests failed at ${concurrency} clients`);
		const [baselineStats, sessionStats, targetStats] = samples.map((s) => ({
			...summarise(s.latencies),
			perSecond: Math.round(s.latencies.length / s.seconds)
		}));
		const ratio = round(targetStats.p95 / baselineStats.p95);
		levels.push({
			concurrency,
			baseline: baselineStats,
			session: { ...sessionStats, ratio: round(sessionStats.p95 / baselineStats.p95) },
			workspace: targetStats,
			aim: { measure: 'workspace p95 / healthz p95', ratio, limit: AIM_RATIO, met: ratio <= AIM_RATIO }
		});
	}
	return { baseline: baseline.name, workspace: target.name, requestsPerClient, breakdown, levels };
}

/**
 * Each client sends `count` requests in turn; all clients at once.
 * @param {{ url: string, withSession: boolean }} request
 * @param {string[]} tokens one per client
 * @param {number} count
 */
async function load(request, tokens, count) {
	/** @type {number[]} */
	const latencies = [];
	let failures = 0;
	const started = performance.now();
	await Promise.all(
		tokens.map(async (token) => {
			const headers = request.withSession ? { cookie: cookieFor(token) } : undefined;
			for (let i = 0; i < count; i++) {
				const t0 = performance.now();
				try {
					const response = await fetch(request.url, { headers });
					await response.arrayBuffer();
					if (!response.ok) failures++;
					else latencies.push(performance.now() - t0);
				} catch {
					failures++;
				}
			}
		})
	);
	return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}
