// Timed broadcasts for the live benchmark: one Round per cause (an echo or a commit), one arrival
// per other client; and the socket.io clients that take part.
import { io } from 'socket.io-client';
import { cookieFor } from './sessions.js';
import { sleep, summarise } from './stats.js';

/** A round gives up after this; a client not up to date by then counts as this long (a lower bound). */
export const ROUND_TIMEOUT_MS = Number(process.env.BENCH_ROUND_TIMEOUT_S ?? 30) * 1000;
let roundIds = 0;

/** One timed broadcast: t0 at the cause, one arrival (the screen up to date) per other client. */
export class Round {
	/**
	 * @param {'echo' | 'live'} kind
	 * @param {number} clients
	 * @param {number} sender the client that caused it (not counted)
	 */
	constructor(kind, clients, sender) {
		this.id = roundIds++;
		this.kind = kind;
		this.sender = sender;
		this.arrivals = new Float64Array(clients).fill(Number.NaN);
		/** When each client first heard of it (before any refetch). */
		this.heard = new Float64Array(clients).fill(Number.NaN);
		this.remaining = clients - 1;
		/** Per client, the event kinds already acted on in this round. @type {Map<number, Set<string>>} */
		this.seen = new Map();
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

	/** Whether this is the first `eventKind` the client has had in this round. @param {number} client @param {string} eventKind */
	first(client, eventKind) {
		let kinds = this.seen.get(client);
		if (!kinds) this.seen.set(client, (kinds = new Set()));
		if (kinds.has(eventKind)) return false;
		kinds.add(eventKind);
		return true;
	}

	/** The client has the event (or the echo). @param {number} client */
	hear(client) {
		if (Number.isNaN(this.heard[client])) this.heard[client] = performance.now() - this.t0;
	}

	/** The client's screen is up to date. @param {number} client */
	arrive(client) {
		if (client === this.sender || !Number.isNaN(this.arrivals[client])) return;
		this.arrivals[client] = performance.now() - this.t0;
		if (--this.remaining === 0) this.complete();
	}

	/** @param {number} ms the mutation's HTTP round trip */
	answered(ms) {
		this.responseMs = ms;
		if (this.remaining === 0) this.complete();
	}

	complete() {
		// A live round ends when every client is up to date and the HTTP answer is in too.
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
 * @param {Round[]} rounds
 * @param {number[]} instanceOf client index -> instance index
 * @param {number} instanceCount
 */
export function collect(rounds, instanceOf, instanceCount) {
	/** @type {number[]} */
	const heard = [];
	for (const r of rounds) r.heard.forEach((ms, client) => client !== r.sender && !Number.isNaN(ms) && heard.push(ms));
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
				ms = ROUND_TIMEOUT_MS;
			}
			all.push(ms);
			perInstance[instanceOf[client]].push(ms);
		});
	}
	return {
		...summarise(all),
		missing,
		heard: summarise(heard),
		// Where the clients sit: instance 1 is where the change enters.
		byInstance: instanceCount > 1 ? perInstance.map((samples) => summarise(samples)) : undefined,
		// The slowest client per round: when did *everyone* have it?
		lastArrival: summarise(rounds.map((r) => Math.max(...r.arrivals.filter((_, client) => client !== r.sender).map((ms) => (Number.isNaN(ms) ? ROUND_TIMEOUT_MS : ms)))))
	};
}

/**
 * Resolves once `quietFor` ms pass with no socket traffic (or after `atMost`).
 * @param {() => number} lastTrafficAt
 * @param {number} quietFor
 * @param {number} atMost
 */
export async function quiet(lastTrafficAt, quietFor, atMost) {
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
export async function connectClient(origin, token, room) {
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
