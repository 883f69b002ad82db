// Live updates: how long after a committed change does every other person in the workspace hear
// of it? N authenticated socket.io clients join one workspace (the demo Banbury locality). Each
// timed round either
//   - live: the officer renames the cluster through tRPC (POST /api/trpc/clusters.rename: one
//     transaction, then the post-commit live event to the room), timed from just before the HTTP
//     request to each other client's arrival of that event; or
//   - echo (the baseline): the officer's socket sends `focus`, which the server rebroadcasts as
//     `presence` to the room at once, touching no database: a bare socket.io echo on the same
//     server, to the same clients, timed the same way.
// Rounds alternate so both see the same machine. Then the same across two instances, clients
// split half and half, the change and the echo entering through instance 1 and reaching instance
// 2's clients through the Postgres adapter.
import { io } from 'socket.io-client';
import { batchQueryUrl, batchQuery, mutate } from './support/trpc.js';
import { cookieFor } from './support/sessions.js';
import { round, sleep, summarise } from './support/stats.js';

const ROUND_TIMEOUT_MS = 15_000;
const CONNECT_BATCH = 25;
const WARM_UP_ROUNDS = 3;
/**
 * The event each client counts per live round. A rename announces activity.created and then
 * cluster.changed to the room in the same post-commit emit; the first is the moment the client
 * knows of the change (the page refreshes its feed on it), so it is preferred.
 */
const PREFERRED_KINDS = ['activity.created', 'cluster.changed'];

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ clients: number, rounds: number, log: (line: string) => void }} options
 */
export async function benchLive(env, { clients, rounds, log }) {
	const single = await scenario(env, { instanceCount: 1, clients, rounds, log });
	const across = await scenario(env, { instanceCount: 2, clients, rounds, log });
	return {
		clients,
		rounds,
		single,
		across,
		aims: {
			single: aim(single, 2),
			across: aim(across, 3)
		}
	};
}

/**
 * @param {{ live: { p95: number }, echo: { p95: number } }} result
 * @param {number} limit
 */
function aim(result, limit) {
	const ratio = round(result.live.p95 / result.echo.p95);
	return { measure: 'live p95 / echo p95', ratio, limit, met: ratio <= limit };
}

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ instanceCount: number, clients: number, rounds: number, log: (line: string) => void }} options
 */
async function scenario(env, { instanceCount, clients, rounds, log }) {
	const instances = await env.instances(instanceCount);
	const workspace = await env.workspace();
	const room = `cluster:${workspace.clusterId}`;
	const label = instanceCount === 1 ? 'one instance' : `${instanceCount} instances`;
	log(`\nlive (${label}): connecting ${clients} signed-in socket.io clients to ${room}...`);

	// Client 0 is the officer: it sends the echo and makes the change. The rest are the
	// workspace's members, several sessions per person, as with several browsers each.
	const userIds = [workspace.officerId];
	for (let i = 1; i < clients; i++) userIds.push(workspace.memberIds[(i - 1) % workspace.memberIds.length]);
	const tokens = await env.sessions(userIds);
	const officerToken = tokens[0];

	const origin = instances[0].origin;
	const versionUrl = batchQueryUrl(origin, ['workspace.get'], [{ clusterId: workspace.clusterId }]);
	const names = [`${workspace.clusterName} locality`, workspace.clusterName];
	let renames = 0;
	/** The change: reads the version the officer would see (not timed), then returns the timed request. */
	const rename = async () => {
		const [{ cluster }] = await batchQuery(versionUrl, officerToken);
		const name = names[renames++ % 2];
		return () =>
			mutate(origin, officerToken, 'clusters.rename', {
				clusterId: workspace.clusterId,
				name,
				version: cluster.version,
				reason: 'Benchmark: measuring how fast a change reaches everyone in the workspace.'
			});
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
	// The browser's LiveConnection re-joins to catch up whenever a room's seq jumps (a gap); count
	// how often these clients would have, because events of one commit can arrive out of order.
	const order = { events: 0, gaps: 0, late: 0 };

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
							if (change.room === room) current?.arrive(i, 'echo', 'presence');
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
							current?.arrive(i, 'live', event.kind);
						});
					})
				);
			}
			await Promise.all(batch);
		}
		log(`  ${clients} clients connected and joined in ${Math.round(performance.now() - connectStarted)} ms`);

		// Every join tells the room (presence); let that settle before timing anything.
		await quiet(() => lastTrafficAt, 500, 30_000);

		const sender = connected[0].socket;
		/** @type {string | undefined} */
		let liveKind;

		/** @param {'echo' | 'live'} kind */
		const runRound = async (kind) => {
			await quiet(() => lastTrafficAt, 100, 10_000);
			if (kind === 'echo') {
				const r = new Round('echo', clients, 0, undefined);
				current = r;
				r.start();
				sender.emit('focus', { room, section: `bench-${r.id % 2}` });
				return finish(r);
			}
			const send = await rename();
			const r = new Round('live', clients, 0, liveKind);
			current = r;
			r.start();
			const committed = send().then(() => r.answered(performance.now() - r.t0));
			committed.catch(() => r.abort());
			await committed;
			return finish(r);
		};

		/** @param {Round} r */
		const finish = async (r) => {
			await r.done;
			if (current === r) current = undefined;
			return r;
		};

		// Warm-up, also learning which kind the rename announces in this room.
		for (let i = 0; i < WARM_UP_ROUNDS; i++) {
			await runRound('echo');
			const r = await runRound('live');
			if (!liveKind) {
				// The round ends at each client's first event; keep listening until the room is quiet
				// so every kind the commit announced is seen (they may arrive in either order).
				current = r;
				await quiet(() => lastTrafficAt, 300, 10_000);
				current = undefined;
				liveKind = PREFERRED_KINDS.find((kind) => r.kindsSeen.has(kind));
				if (!liveKind) {
					throw new Error(
						`clusters.rename announced no ${PREFERRED_KINDS.join(' or ')} event to ${room} ` +
							`(seen: ${[...r.kindsSeen].join(', ') || 'nothing'})`
					);
				}
			}
		}

		log(`  ${rounds} rounds each of echo (focus -> presence) and live (clusters.rename -> '${liveKind}'), alternating...`);
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
		return {
			instances: instanceCount,
			clients,
			room,
			liveKind,
			echo: collect(echoRounds, instanceOf, instanceCount),
			live: collect(liveRounds, instanceOf, instanceCount),
			mutationHttp: summarise(liveRounds.map((r) => r.responseMs ?? Number.NaN).filter(Number.isFinite)),
			mutationAlone: summarise(aloneMs),
			// Live events that reached a client after a later one of the same room; each gap is a
			// catch-up (a re-join with `since`) that a browser would have made.
			outOfOrder: order
		};
	} finally {
		current?.abort();
		for (const c of connected) c?.socket.disconnect();
	}
}

/**
 * @param {Round[]} rounds
 * @param {number[]} instanceOf client index -> instance index
 * @param {number} instanceCount
 */
function collect(rounds, instanceOf, instanceCount) {
	/** @type {number[]} */
	const all = [];
	/** @type {number[][]} */
	const perInstance = Array.from({ length: instanceCount }, () => []);
	let missing = 0;
	for (const r of rounds) {
		r.arrivals.forEach((ms, client) => {
			if (client === r.sender) return;
			if (Number.isNaN(ms)) {
				missing++;
				return;
			}
			all.push(ms);
			perInstance[instanceOf[client]].push(ms);
		});
	}
	return {
		...summarise(all),
		missing,
		// Where the clients sit: instance 1 is where the change enters.
		byInstance: instanceCount > 1 ? perInstance.map((samples) => summarise(samples)) : undefined,
		// The slowest client per round: when did *everyone* have it?
		lastArrival: summarise(rounds.map((r) => Math.max(...r.arrivals.filter((ms, client) => client !== r.sender && !Number.isNaN(ms)))))
	};
}

let roundIds = 0;

/** One timed broadcast: t0 at the cause, one arrival per other client. */
class Round {
	/**
	 * @param {'echo' | 'live'} kind
	 * @param {number} clients
	 * @param {number} sender the client that caused it (not counted)
	 * @param {string | undefined} countedKind the live event kind counted (any while learning)
	 */
	constructor(kind, clients, sender, countedKind) {
		this.id = roundIds++;
		this.kind = kind;
		this.sender = sender;
		this.countedKind = countedKind;
		this.arrivals = new Float64Array(clients).fill(Number.NaN);
		this.remaining = clients - 1;
		/** @type {Set<string>} */
		this.kindsSeen = new Set();
		this.t0 = 0;
		/** @type {number | undefined} */
		this.responseMs = undefined;
		/** @type {() => void} */
		this.resolve = () => undefined;
		/** @type {Promise<void>} */
		this.done = new Promise((resolve) => (this.resolve = resolve));
		this.timer = setTimeout(() => this.resolve(), ROUND_TIMEOUT_MS);
	}

	start() {
		this.t0 = performance.now();
	}

	/** @param {number} client @param {'echo' | 'live'} kind @param {string} eventKind */
	arrive(client, kind, eventKind) {
		if (kind !== this.kind || client === this.sender) return;
		const at = performance.now() - this.t0;
		if (kind === 'live') {
			this.kindsSeen.add(eventKind);
			const counted = this.countedKind ? eventKind === this.countedKind : PREFERRED_KINDS.includes(eventKind);
			if (!counted) return;
		}
		if (!Number.isNaN(this.arrivals[client])) return;
		this.arrivals[client] = at;
		if (--this.remaining === 0) this.complete();
	}

	/** @param {number} ms the mutation's HTTP round trip */
	answered(ms) {
		this.responseMs = ms;
		if (this.remaining === 0) this.complete();
	}

	complete() {
		// A live round ends when every client has the event and the HTTP answer is in too.
		if (this.kind === 'live' && this.responseMs === undefined) return;
		clearTimeout(this.timer);
		this.resolve();
	}

	abort() {
		clearTimeout(this.timer);
		this.resolve();
	}
}

/**
 * Resolves once `quietFor` ms pass with no socket traffic (or after `atMost`).
 * @param {() => number} lastTrafficAt
 * @param {number} quietFor
 * @param {number} atMost
 */
async function quiet(lastTrafficAt, quietFor, atMost) {
	const deadline = performance.now() + atMost;
	while (performance.now() < deadline) {
		const idle = performance.now() - lastTrafficAt();
		if (idle >= quietFor) return;
		await sleep(Math.max(10, quietFor - idle));
	}
}

/**
 * @param {string} origin
 * @param {string} token
 * @param {string} room
 * @returns {Promise<{ socket: import('socket.io-client').Socket, seq: number }>}
 */
async function connectClient(origin, token, room) {
	const socket = io(origin, {
		transports: ['websocket'],
		extraHeaders: { cookie: cookieFor(token) },
		reconnection: false,
		forceNew: true,
		timeout: 20_000
	});
	try {
		await new Promise((resolve, reject) => {
			socket.once('connect', () => resolve(undefined));
			socket.once('connect_error', (error) => reject(new Error(`socket connection refused: ${error.message}`)));
		});
		const reply = await socket.timeout(20_000).emitWithAck('join', { room });
		if (!reply?.ok) throw new Error(`join ${room} refused: ${reply?.reason ?? 'no reason given'}`);
		return { socket, seq: reply.seq ?? 0 };
	} catch (error) {
		socket.disconnect();
		throw error;
	}
}
