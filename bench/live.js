// Live updates, timed to the screen: how long after a committed change has every other person in
// the workspace refetched what the change names, as the workspace page does? N signed-in socket.io
// clients join one workspace (the demo Banbury locality). Each timed round is either
//   - live: the officer renames the cluster through tRPC (POST /api/trpc/clusters.rename: one
//     transaction, then the post-commit live events to the room). A client gathers the kinds it
//     hears for GATHER_MS after the first, then makes the refetches the page makes for them
//     (src/routes/(app)/clusters/[id]/+page.svelte: activity.created -> workspace.activity;
//     round.changed or bid.changed -> bids.rounds; anything else -> the page's own data, as
//     invalidate('workspace:<id>') does: its load alone, not the layouts'; that load holds the
//     activity and rounds too, so it alone is fetched when it is due); it is up to date when every
//     kind is heard and its refetches are in; or
//   - baseline: the officer's socket sends `focus`, which the server rebroadcasts as `presence`
//     without touching the database (a bare socket.io echo), and each client then GETs one static
//     file of the same size as the live refetches, with its session cookie.
// Both are timed from the cause to each client being done, on one clock. Rounds alternate so both
// see the same machine. Then the same across two instances, clients split half and half, the
// change and the echo entering through instance 1.
import { batchQueryUrl, batchQuery, mutate } from './support/trpc.js';
import { cookieFor } from './support/sessions.js';
import { round, summarise } from './support/stats.js';
import { padFor } from './support/portal.js';
import { ROUND_TIMEOUT_MS, Round, collect, connectClient, quiet } from './support/rounds.js';

const CONNECT_BATCH = 25;
const WARM_UP_ROUNDS = 3;
/** How long the page gathers a commit's kinds of change before fetching (GATHER_MS in src/lib/live/gather.ts). */
export const GATHER_MS = 25;

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ clients: number, rounds: number, log: (line: string) => void }} options
 */
export async function benchLive(env, { clients, rounds, log }) {
	const single = await scenario(env, { instanceCount: 1, clients, rounds, log });
	const across = await scenario(env, { instanceCount: 2, clients, rounds, log });
	return { clients, rounds, single, across, aims: { single: aim(single, 2), across: aim(across, 3) } };
}

/** @param {{ live: { p95: number }, echo: { p95: number } }} result @param {number} limit */
function aim(result, limit) {
	const ratio = round(result.live.p95 / result.echo.p95);
	return { measure: 'live-to-screen p95 / echo-and-request p95', ratio, limit, met: ratio <= limit };
}

/**
 * The requests the workspace page makes for the kinds of change it gathered.
 * @param {string} origin @param {number} clusterId @param {Iterable<string>} gatheredKinds
 */
function refetchesFor(origin, clusterId, gatheredKinds) {
	const urls = new Set();
	for (const kind of gatheredKinds) {
		if (kind === 'activity.created') urls.add(batchQueryUrl(origin, ['workspace.activity'], [{ clusterId }]));
		else if (kind === 'round.changed' || kind === 'bid.changed') urls.add(batchQueryUrl(origin, ['bids.rounds'], [{ clusterId }]));
		// invalidate('workspace:<id>'): the page's own load runs again, not the layouts above it; it
		// brings the activity and rounds as well, so nothing else is fetched.
		else return [`${origin}/clusters/${clusterId}/__data.json?x-sveltekit-invalidated=001`];
	}
	return [...urls];
}

/** @param {string} url @param {string} token */
async function fetchAll(url, token) {
	// Never longer than a round: a request still unanswered then is a screen not up to date.
	const response = await fetch(url, { headers: { cookie: cookieFor(token) }, signal: AbortSignal.timeout(ROUND_TIMEOUT_MS) });
	const body = await response.arrayBuffer();
	if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
	return body.byteLength;
}

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ instanceCount: number, clients: number, rounds: number, log: (line: string) => void }} options
 */
async function scenario(env, { instanceCount, clients, rounds, log }) {
	const instances = await env.instances(instanceCount);
	const workspace = await env.workspace();
	const clusterId = workspace.clusterId;
	const room = `cluster:${clusterId}`;
	const label = instanceCount === 1 ? 'one instance' : `${instanceCount} instances`;
	log(`\nlive (${label}): connecting ${clients} signed-in socket.io clients to ${room}...`);

	// Client 0 is the officer: it sends the echo and makes the change. The rest are the
	// workspace's members, several sessions per person, as with several browsers each.
	const userIds = [workspace.officerId];
	for (let i = 1; i < clients; i++) userIds.push(workspace.memberIds[(i - 1) % workspace.memberIds.length]);
	const tokens = await env.sessions(userIds);
	const officerToken = tokens[0];
	const origin = instances[0].origin;
	const originOf = (/** @type {number} */ client) => instances[client % instanceCount].origin;

	const versionUrl = batchQueryUrl(origin, ['workspace.get'], [{ clusterId }]);
	const names = [`${workspace.clusterName} locality`, workspace.clusterName];
	let renames = 0;
	/** The change: reads the version the officer would see (not timed), then returns the timed request. */
	const rename = async () => {
		const [{ cluster }] = await batchQuery(versionUrl, officerToken);
		const name = names[renames++ % 2];
		return () => mutate(origin, officerToken, 'clusters.rename', { clusterId, name, version: cluster.version, reason: 'Benchmark: how fast a change reaches everyone.' });
	};

	// The change's own cost, with nobody listening: what the live path adds before any broadcast.
	/** @type {number[]} */
	const aloneMs = [];
	for (let i = 0; i < WARM_UP_ROUNDS + 10; i++) {
		const send = await rename();
		const t0 = performance.now();
		await send();
		if (i >= WARM_UP_ROUNDS) aloneMs.push(performance.now() - t0);
	}

	/** @type {{ socket: import('socket.io-client').Socket, instance: number }[]} */
	const connected = [];
	/** @type {Round | undefined} */
	let current;
	let lastTrafficAt = performance.now();
	/** Kinds a rename announces to the room, learnt in the first warm-up round. @type {Set<string>} */
	const kinds = new Set();
	let learning = true;
	let padPath = '';
	// The browser's LiveConnection re-joins to catch up whenever a room's seq jumps (a gap); count
	// how often these clients would have, because events of one commit can arrive out of order.
	const order = { events: 0, gaps: 0, late: 0 };
	/** Refetches (and baseline files) that failed, e.g. 503 when the app's pool had no connection to give. */
	const failed = { live: 0, echo: 0, first: '' };
	const failure = (/** @type {'live' | 'echo'} */ kind) => (/** @type {unknown} */ error) => {
		failed[kind]++;
		failed.first ||= error instanceof Error ? error.message : String(error);
	};
	/**
	 * Per client, this round's gathering: kinds heard and not yet fetched for, and the refetches made by URL.
	 * @typedef {{ pending: Set<string>, timer: ReturnType<typeof setTimeout> | undefined, fetches: Map<string, Promise<unknown>> }} Gathering
	 * @type {Map<number, Gathering>}
	 */
	let refetching = new Map();

	/** @param {Round} r @param {number} client @param {string} kind */
	const onLive = (r, client, kind) => {
		if (learning) return void kinds.add(kind);
		if (!kinds.has(kind) || !r.first(client, kind)) return;
		r.hear(client);
		let mine = refetching.get(client);
		if (!mine) refetching.set(client, (mine = { pending: new Set(), timer: undefined, fetches: new Map() }));
		const gathering = mine;
		gathering.pending.add(kind);
		gathering.timer ??= setTimeout(() => {
			gathering.timer = undefined;
			const due = gathering.pending;
			gathering.pending = new Set();
			for (const url of refetchesFor(originOf(client), clusterId, due)) {
				if (!gathering.fetches.has(url)) gathering.fetches.set(url, fetchAll(url, tokens[client]));
			}
			// A kind still to come is gathered and fetched for when it arrives.
			if (/** @type {Set<string>} */ (r.seen.get(client)).size < kinds.size) return;
			void Promise.all(gathering.fetches.values()).then(() => r.arrive(client), failure('live')); // never up to date: counted as missing
		}, GATHER_MS);
	};
	/** @param {Round} r @param {number} client */
	const onEcho = (r, client) => {
		if (!r.first(client, 'presence')) return;
		r.hear(client);
		fetchAll(`${originOf(client)}${padPath}`, tokens[client]).then(() => r.arrive(client), failure('echo'));
	};

	try {
		const connectStarted = performance.now();
		for (let start = 0; start < clients; start += CONNECT_BATCH) {
			const batch = [];
			for (let i = start; i < Math.min(clients, start + CONNECT_BATCH); i++) {
				const instance = i % instanceCount;
				batch.push(
					connectClient(instances[instance].origin, tokens[i], room).then(({ socket, seq }) => {
						connected[i] = { socket, instance };
						let lastSeq = seq;
						socket.on('presence', (change) => {
							lastTrafficAt = performance.now();
							if (change.room === room && current?.kind === 'echo' && i !== 0) onEcho(current, i);
						});
						socket.on('live', (event) => {
							lastTrafficAt = performance.now();
							if (event.room !== room) return;
							order.events++;
							if (event.seq <= lastSeq) order.late++;
							else {
								if (event.seq > lastSeq + 1) order.gaps++;
								lastSeq = event.seq;
							}
							if (current?.kind === 'live' && i !== 0) onLive(current, i, event.kind);
						});
					})
				);
			}
			await Promise.all(batch);
		}
		log(`  ${clients} clients connected and joined in ${Math.round(performance.now() - connectStarted)} ms`);
		await quiet(() => lastTrafficAt, 500, 30_000); // every join tells the room (presence)
		const sender = connected[0].socket;

		/** @param {'echo' | 'live'} kind */
		const runRound = async (kind) => {
			await quiet(() => lastTrafficAt, 100, 10_000);
			refetching = new Map();
			const r = new Round(kind, clients, 0);
			current = r;
			if (kind === 'echo') {
				r.start();
				sender.emit('focus', { room, section: null }); // a section-less focus is always announced
			} else {
				const send = await rename();
				r.start();
				const committed = send().then(() => r.answered(performance.now() - r.t0));
				committed.catch(() => r.abort());
				await committed;
			}
			if (learning) await quiet(() => lastTrafficAt, 300, 10_000);
			else await r.done;
			if (!learning && r.remaining > 0) log(`  (a ${kind} round timed out: ${r.remaining} of ${clients - 1} clients not up to date)`);
			// Let the round's last refetches finish before the next cause.
			for (const gathering of refetching.values()) clearTimeout(gathering.timer);
			await Promise.allSettled([...refetching.values()].flatMap((gathering) => [...gathering.fetches.values()]));
			if (current === r) current = undefined;
			return r;
		};

		// Learn what a rename announces and how big the page's refetches are, then warm up.
		await runRound('live');
		learning = false;
		if (kinds.size === 0) throw new Error(`clusters.rename announced nothing to ${room}`);
		// What one screen fetches when it hears every kind a rename announces (they arrive together).
		const refetches = refetchesFor(origin, clusterId, kinds);
		const refetchBytes = (await Promise.all(refetches.map((url) => fetchAll(url, tokens[1])))).reduce((a, b) => a + b, 0);
		const pad = padFor(refetchBytes);
		padPath = pad.path;
		for (let i = 0; i < WARM_UP_ROUNDS; i++) {
			await runRound('echo');
			await runRound('live');
		}

		log(`  ${rounds} rounds each of baseline (echo + ${pad.size} B file) and live (rename -> ${[...kinds].join(', ')} -> refetch), alternating...`);
		/** @type {Round[]} */
		const echoRounds = [];
		/** @type {Round[]} */
		const liveRounds = [];
		for (let i = 0; i < rounds; i++) {
			echoRounds.push(await runRound('echo'));
			liveRounds.push(await runRound('live'));
		}
		// Leave the workspace's name as the seed had it.
		if (renames % 2 === 1) await (await rename())();

		const instanceOf = connected.map((c) => c.instance);
		const echo = collect(echoRounds, instanceOf, instanceCount);
		const live = collect(liveRounds, instanceOf, instanceCount);
		return {
			instances: instanceCount,
			clients,
			room,
			kinds: [...kinds],
			refetches: refetches.map((url) => new URL(url).pathname),
			refetchBytes,
			padBytes: pad.size,
			echo,
			live,
			eventOnly: { echo: echo.heard, live: live.heard },
			mutationHttp: summarise(liveRounds.map((r) => r.responseMs ?? Number.NaN).filter(Number.isFinite)),
			mutationAlone: summarise(aloneMs),
			outOfOrder: order,
			failedRequests: failed
		};
	} finally {
		current?.abort();
		for (const c of connected) c?.socket.disconnect();
	}
}
