import { afterAll, beforeAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { io as connectClient, type Socket } from 'socket.io-client';
import { freshDatabase, type TestDatabase } from './db';
import { createPool } from '../../src/lib/server/db';
import { createSession, generateToken } from '../../src/lib/server/auth/session';
import { afterCommitHub, attachLive, type LiveServer } from '../../src/lib/server/live/server';
import { installHub } from '../../src/lib/server/live/hub';
import { transact } from '../../src/lib/server/work';
import type { ClientToServerEvents, JoinReply, LiveEnvelope, ServerToClientEvents } from '../../src/lib/live/events';

// The live tests' server, people and socket helpers (live.test.ts, live-sessions.test.ts).

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export let test: TestDatabase;
export let pool: pg.Pool;
export let server: http.Server;
export let io: LiveServer;
export let baseUrl: string;
export const clients: Client[] = [];

export const cluster = { cherwell: 0, banbury: 0, vale: 0, abingdon: 0 };
/** A draft bid in Banbury: its page has sections, so presence there can name one. */
export let bidId = 0;
/** Hana and Sam lead the Banbury locality; Abe leads Abingdon; Ada is an administrator. */
export const people = { hana: 0, sam: 0, abe: 0, ada: 0 };
export const tokens = { hana: '', sam: '', abe: '', ada: '' };

/**
 * One socket.io server on a fresh database, with the after-commit hub boot installs, shared by the
 * live test files: call it at the top of a file to set it up before and close it after its tests.
 */
export function useLiveServer(): void {
	beforeAll(startLiveServer);
	afterAll(stopLiveServer);
}

async function startLiveServer() {
	test = await freshDatabase();
	pool = createPool(test.url, 10);
	const addCluster = async (values: { kind: 'district' | 'locality'; name: string; parent_id?: number }) =>
		(await test.db.insertInto('cluster').values(values).returning('id').executeTakeFirstOrThrow()).id;
	cluster.cherwell = await addCluster({ kind: 'district', name: 'Cherwell' });
	cluster.banbury = await addCluster({ kind: 'locality', name: 'Banbury', parent_id: cluster.cherwell });
	cluster.vale = await addCluster({ kind: 'district', name: 'Vale of White Horse' });
	cluster.abingdon = await addCluster({ kind: 'locality', name: 'Abingdon', parent_id: cluster.vale });

	for (const [key, leads] of [
		['hana', cluster.banbury],
		['sam', cluster.banbury],
		['abe', cluster.abingdon],
		['ada', null]
	] as const) {
		const { id } = await test.db
			.insertInto('app_user')
			.values({ email: `${key}@portal.example`, name: key, county_role: leads === null ? 'admin' : null })
			.returning('id')
			.executeTakeFirstOrThrow();
		people[key] = id;
		if (leads !== null) await test.db.insertInto('cluster_role').values({ user_id: id, cluster_id: leads, role: 'cluster_lead' }).execute();
		tokens[key] = generateToken();
		await createSession(test.db, tokens[key], id);
	}

	const setting = await test.db
		.insertInto('setting')
		.values({ urn: '100001', name: 'Banbury Academy', phase: 'secondary', setting_type: 'Academy', town: 'Banbury', pupil_count: 900, cluster_id: cluster.banbury })
		.returning('id')
		.executeTakeFirstOrThrow();
	const round = await test.db
		.insertInto('funding_round')
		.values({
			cluster_id: cluster.banbury,
			name: 'Banbury pooled fund',
			pot_pence: 6_000_000,
			max_request_pence: 1_000_000,
			opens_at: new Date('2026-01-01'),
			closes_at: new Date('2030-01-01'),
			endorsement_rule: 'majority',
			created_by: people.hana
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	bidId = (
		await test.db
			.insertInto('bid')
			.values({ round_id: round.id, cluster_id: cluster.banbury, lead_setting_id: setting.id, title: 'Nurture base', created_by: people.hana })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;

	server = http.createServer();
	io = attachLive(server, test.db, pool);
	// The same after-commit hub boot installs, so transact() really emits.
	installHub(afterCommitHub(test.db, io));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stopLiveServer() {
	for (const client of clients) client.close();
	installHub(undefined);
	if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
	await pool?.end();
	await test?.close();
}

/** Events a client received, with a way to wait for the next one that matches. */
export class Inbox {
	readonly events: LiveEnvelope[] = [];
	readonly presenceChanges: string[] = [];
	#waiters: { match: (e: LiveEnvelope) => boolean; resolve: (e: LiveEnvelope) => void }[] = [];

	constructor(client: Client) {
		client.on('live', (event) => {
			this.events.push(event);
			for (const waiter of [...this.#waiters]) {
				if (waiter.match(event)) {
					this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
					waiter.resolve(event);
				}
			}
		});
		client.on('presence', ({ room }) => this.presenceChanges.push(room));
	}

	next(match: (e: LiveEnvelope) => boolean, ms = 5000): Promise<LiveEnvelope> {
		const seen = this.events.find(match);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no matching live event arrived')), ms);
			this.#waiters.push({
				match,
				resolve: (event) => {
					clearTimeout(timer);
					resolve(event);
				}
			});
		});
	}
}

export function open(token?: string): Client {
	const client: Client = connectClient(baseUrl, {
		transports: ['websocket'],
		extraHeaders: token ? { cookie: `portal_session=${token}` } : {},
		reconnection: false,
		forceNew: true
	});
	clients.push(client);
	return client;
}

/** Connects and resolves once the server has accepted the socket, or rejects with its refusal. */
export function connected(client: Client): Promise<Client> {
	return new Promise((resolve, reject) => {
		client.once('connect', () => resolve(client));
		client.once('connect_error', (error) => reject(error));
	});
}

export async function signedInClient(who: keyof typeof tokens): Promise<{ client: Client; inbox: Inbox }> {
	const client = open(tokens[who]);
	const inbox = new Inbox(client);
	await connected(client);
	return { client, inbox };
}

export const join = (client: Client, room: string, since?: number): Promise<JoinReply> =>
	client.timeout(5000).emitWithAck('join', since === undefined ? { room } : { room, since });

/** Commits one activity in a cluster, as any feature command would, and returns its id. */
export const commitActivity = (clusterId: number, summary = 'A bid was submitted') =>
	transact(test.db, people.ada, (work) => work.activity({ clusterId, verb: 'bid.submitted', summary }));

export const isActivity = (activityId: number) => (e: LiveEnvelope) => e.kind === 'activity.created' && e.payload.activityId === activityId;
