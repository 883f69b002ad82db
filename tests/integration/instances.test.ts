import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import { freshDatabase, type TestDatabase } from './db';
import { ensureBuild, freePort, startApp, stopApp, type AppProcess } from './app-process';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import {
	type ClientToServerEvents,
	type JoinReply,
	type LiveEnvelope,
	type ServerToClientEvents
} from '../../src/lib/live/events';
import { clusterRoom, userRoom } from '../../src/lib/live/rooms';
import { TRPC_PATH } from '../../src/lib/trpc';

// Two production app processes on one database: socket.io rooms and presence are shared
// through @socket.io/postgres-adapter, so a change made through either reaches people on both.

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let test: TestDatabase;
const apps: AppProcess[] = [];
const clients: Client[] = [];
let localityId = 0;
/** Xena and Yusuf both lead the Banbury locality. */
const people = { xena: { id: 0, token: '' }, yusuf: { id: 0, token: '' } };

beforeAll(async () => {
	ensureBuild();
	test = await freshDatabase();
	const district = await test.db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	localityId = (
		await test.db
			.insertInto('cluster')
			.values({ kind: 'locality', name: 'Banbury', parent_id: district.id })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	for (const [key, name] of [
		['xena', 'Xena Lead'],
		['yusuf', 'Yusuf Lead']
	] as const) {
		const { id } = await test.db
			.insertInto('app_user')
			.values({ email: `${key}@portal.example`, name })
			.returning('id')
			.executeTakeFirstOrThrow();
		await test.db.insertInto('cluster_role').values({ user_id: id, cluster_id: localityId, role: 'cluster_lead' }).execute();
		const token = generateToken();
		await createSession(test.db, token, id);
		people[key] = { id, token };
	}
	await test.db
		.insertInto('notification')
		.values([
			{ user_id: people.xena.id, kind: 'test', title: 'A bid needs your sign-off' },
			{ user_id: people.xena.id, kind: 'test', title: 'A panel was scheduled' }
		])
		.execute();

	const ports = [await freePort(), await freePort()];
	apps.push(
		...(await Promise.all(
			ports.map((port) =>
				startApp({ PORT: String(port), DATABASE_URL: test.url, LOG_LEVEL: 'warn', ORIGIN: `http://localhost:${port}`, HEALTH_TOKEN: 'instances-monitor' })
			)
		))
	);
}, 360_000);

afterAll(async () => {
	for (const client of clients) client.close();
	for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
	await test?.close();
});

function open(app: AppProcess, token: string): Promise<{ client: Client; events: LiveEnvelope[] }> {
	const client: Client = connectClient(app.url, {
		transports: ['websocket'],
		extraHeaders: { cookie: `${SESSION_COOKIE}=${token}` },
		reconnection: false,
		forceNew: true
	});
	clients.push(client);
	const events: LiveEnvelope[] = [];
	client.on('live', (event) => events.push(event));
	return new Promise((resolve, reject) => {
		client.once('connect', () => resolve({ client, events }));
		client.once('connect_error', reject);
	});
}

const join = (client: Client, room: string, since?: number): Promise<JoinReply> =>
	client.timeout(5000).emitWithAck('join', since === undefined ? { room } : { room, since });

/** A tRPC call over HTTP, as the browser makes it, signed in with a session cookie. */
async function trpc(app: AppProcess, token: string, procedure: string, options: { mutation?: boolean; input?: unknown } = {}) {
	const url = new URL(`${app.url}${TRPC_PATH}/${procedure}`);
	if (!options.mutation && options.input !== undefined) url.searchParams.set('input', JSON.stringify(options.input));
	const response = await fetch(url, {
		method: options.mutation ? 'POST' : 'GET',
		headers: {
			cookie: `${SESSION_COOKIE}=${token}`,
			origin: `http://localhost:${app.port}`,
			'content-type': 'application/json'
		},
		body: options.mutation ? JSON.stringify(options.input ?? null) : undefined
	});
	const body = (await response.json()) as { result?: { data: unknown }; error?: { message: string } };
	if (response.status !== 200) throw new Error(`${procedure} answered ${response.status}: ${JSON.stringify(body)}`);
	return body.result!.data;
}

describe('two app instances', () => {
	it('both answer /healthz with the database and live layer up', async () => {
		for (const app of apps) {
			const monitored = await fetch(`${app.url}/healthz`, { headers: { authorization: 'Bearer instances-monitor' } });
			const health = (await monitored.json()) as { status: string; live: { status: string } };
			expect(health).toMatchObject({ status: 'ok', live: { status: 'ok' } });
		}
	});

	it('a change committed through instance 1 reaches the person connected to instance 2', async () => {
		const [first, second] = apps;
		const xena = await open(second, people.xena.token);
		const yusuf = await open(first, people.yusuf.token);
		await join(xena.client, clusterRoom(localityId));
		await join(yusuf.client, clusterRoom(localityId));

		// Xena marks her notifications read in another tab, which talks to instance 1.
		expect(await trpc(first, people.xena.token, 'notifications.markAllRead', { mutation: true })).toBe(2);

		await expect.poll(() => xena.events, { timeout: 5000 }).toHaveLength(1);
		expect(xena.events[0]).toMatchObject({
			room: userRoom(people.xena.id),
			kind: 'notification.read',
			payload: { notificationId: null }
		});
		// Yusuf, connected to the instance that made the change, hears nothing of Xena's notifications.
		expect(yusuf.events).toEqual([]);

		// The committed event is also in the shared outbox, so a client of either instance can catch up.
		const rejoined = await open(second, people.xena.token);
		const reply = await join(rejoined.client, userRoom(people.xena.id), 0);
		expect(reply.missed).toEqual([xena.events[0]]);
	});

	it('each instance lists people present through the other (workspace.presence)', async () => {
		const [first, second] = apps;
		const expected = [
			{ userId: people.xena.id, name: 'Xena Lead' },
			{ userId: people.yusuf.id, name: 'Yusuf Lead' }
		];
		// Xena is connected to instance 2 only and Yusuf to instance 1 only (previous test).
		for (const [app, asking] of [
			[first, people.yusuf],
			[second, people.xena]
		] as const) {
			await expect
				.poll(
					async () =>
						((await trpc(app, asking.token, 'workspace.presence', { input: { clusterId: localityId } })) as { userId: number; name: string }[]).map(
							(p) => ({ userId: p.userId, name: p.name })
						),
					{ timeout: 15_000, interval: 250 }
				)
				.toEqual(expected);
		}
	});

	it('a role removed through instance 1 is seen by instance 2 on its next requests, without waiting for remembered sessions to expire', async () => {
		const [first, second] = apps;
		// Wren leads Banbury; an officer removes that role through instance 1.
		const person = async (email: string, name: string, countyRole: 'officer' | null) => {
			const { id } = await test.db.insertInto('app_user').values({ email, name, county_role: countyRole }).returning('id').executeTakeFirstOrThrow();
			const token = generateToken();
			await createSession(test.db, token, id);
			return { id, token };
		};
		const wren = await person('wren@portal.example', 'Wren Lead', null);
		const officer = await person('olu@portal.example', 'Olu Officer', 'officer');
		const role = await test.db
			.insertInto('cluster_role')
			.values({ user_id: wren.id, cluster_id: localityId, role: 'cluster_lead' })
			.returning('id')
			.executeTakeFirstOrThrow();
		// Instance 2 checks Wren's session, roles and all, and remembers it (for 30 seconds).
		const presence = () => trpc(second, wren.token, 'workspace.presence', { input: { clusterId: localityId } });
		await expect(presence()).resolves.toBeInstanceOf(Array);

		const revokedAt = Date.now();
		await trpc(first, officer.token, 'people.revokeRole', { mutation: true, input: { userId: wren.id, membership: { kind: 'cluster', id: role.id } } });
		// The commit's relay (a Postgres notification) reaches instance 2 within milliseconds;
		// the remembered session would otherwise be trusted for 30 seconds.
		await expect.poll(() => presence().then(() => 'allowed', (error: Error) => error.message), { timeout: 1500, interval: 25 }).toMatch(/answered 403/);
		expect(Date.now() - revokedAt).toBeLessThan(2000);
	});

	it('both stop within 10 seconds of SIGTERM, cleanly', async () => {
		const stopped = await Promise.all(apps.map((app) => stopApp(app, 10_000)));
		for (const [index, { result, ms }] of stopped.entries()) {
			expect(result, `instance ${index + 1} still running after ${ms} ms:\n${apps[index].output()}`).not.toBeNull();
			expect(result!.code, apps[index].output()).toBe(0);
			expect(ms).toBeLessThan(10_000);
		}
	}, 20_000);
});
