import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { io as connectClient, type Socket } from 'socket.io-client';
import { freshDatabase, type TestDatabase } from './db';
import { createPool } from '../../src/lib/server/db';
import { createSession, generateToken, hashToken } from '../../src/lib/server/auth/session';
import { loadActor } from '../../src/lib/server/auth/actor';
import { hashPassword } from '../../src/lib/server/auth/password';
import { changePassword, requestPasswordReset, resetPassword, signOut } from '../../src/lib/server/auth/account';
import { afterCommitHub, attachLive, presenceWithNames, presentIn, type LiveServer } from '../../src/lib/server/live/server';
import { installHub } from '../../src/lib/server/live/hub';
import { transact } from '../../src/lib/server/work';
import { grantRole } from '../../src/lib/server/people';
import {
	type ClientToServerEvents,
	type JoinReply,
	type LiveEnvelope,
	type ServerToClientEvents
} from '../../src/lib/live/events';
import { bidRoom, clusterRoom, userRoom } from '../../src/lib/live/rooms';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let test: TestDatabase;
let pool: pg.Pool;
let server: http.Server;
let io: LiveServer;
let baseUrl: string;
const clients: Client[] = [];

const cluster = { cherwell: 0, banbury: 0, vale: 0, abingdon: 0 };
/** A draft bid in Banbury: its page has sections, so presence there can name one. */
let bidId = 0;
/** Hana and Sam lead the Banbury locality; Abe leads Abingdon; Ada is an administrator. */
const people = { hana: 0, sam: 0, abe: 0, ada: 0 };
const tokens = { hana: '', sam: '', abe: '', ada: '' };

beforeAll(async () => {
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
});

afterAll(async () => {
	for (const client of clients) client.close();
	installHub(undefined);
	if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
	await pool?.end();
	await test?.close();
});

/** Events a client received, with a way to wait for the next one that matches. */
class Inbox {
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

function open(token?: string): Client {
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
function connected(client: Client): Promise<Client> {
	return new Promise((resolve, reject) => {
		client.once('connect', () => resolve(client));
		client.once('connect_error', (error) => reject(error));
	});
}

async function signedInClient(who: keyof typeof tokens): Promise<{ client: Client; inbox: Inbox }> {
	const client = open(tokens[who]);
	const inbox = new Inbox(client);
	await connected(client);
	return { client, inbox };
}

const join = (client: Client, room: string, since?: number): Promise<JoinReply> =>
	client.timeout(5000).emitWithAck('join', since === undefined ? { room } : { room, since });

/** Commits one activity in a cluster, as any feature command would, and returns its id. */
const commitActivity = (clusterId: number, summary = 'A bid was submitted') =>
	transact(test.db, people.ada, (work) => work.activity({ clusterId, verb: 'bid.submitted', summary }));

const isActivity = (activityId: number) => (e: LiveEnvelope) => e.kind === 'activity.created' && e.payload.activityId === activityId;

describe('connecting', () => {
	it('is refused without a session cookie', async () => {
		await expect(connected(open())).rejects.toThrow('unauthorized');
	});

	it('is refused with a token that is not a session', async () => {
		await expect(connected(open(generateToken()))).rejects.toThrow('unauthorized');
		await expect(connected(open('not-even-a-token'))).rejects.toThrow('unauthorized');
	});

	it('is accepted with a valid session cookie', async () => {
		const { client } = await signedInClient('hana');
		expect(client.connected).toBe(true);
	});
});

describe('joining rooms', () => {
	it('lets a person into their own cluster and its district, with the current sequence number', async () => {
		const { client } = await signedInClient('hana');
		const locality = await join(client, clusterRoom(cluster.banbury));
		expect(locality).toMatchObject({ ok: true, seq: expect.any(Number) });
		expect(locality.missed).toBeUndefined();
		expect((await join(client, clusterRoom(cluster.cherwell))).ok).toBe(true);
	});

	it("refuses another cluster's room with the policy's reason", async () => {
		const { client } = await signedInClient('hana');
		const reply = await join(client, clusterRoom(cluster.abingdon));
		expect(reply.ok).toBe(false);
		expect(reply.reason).toMatch(/not a member of the Abingdon locality cluster/);
	});

	it("lets an administrator into any cluster's room", async () => {
		const { client } = await signedInClient('ada');
		expect((await join(client, clusterRoom(cluster.abingdon))).ok).toBe(true);
	});

	it("refuses another person's notification room", async () => {
		const { client } = await signedInClient('hana');
		const reply = await join(client, userRoom(people.sam));
		expect(reply).toMatchObject({ ok: false, reason: expect.stringMatching(/only receive your own notifications/) });
		expect((await join(client, userRoom(people.hana))).ok).toBe(true);
	});

	it('refuses rooms that do not exist or are not rooms', async () => {
		const { client } = await signedInClient('hana');
		for (const room of ['cluster:987654', 'cluster:abc', 'cluster:0', 'lobby', 'cluster:1; drop table']) {
			const reply = await join(client, room);
			expect(reply.ok, room).toBe(false);
			expect(reply.reason, room).toMatch(/no such workspace|not understood/);
		}
	});

	it('refuses a join once the session behind the socket has ended, and drops the socket', async () => {
		const token = generateToken();
		const session = await createSession(test.db, token, people.hana);
		const client = open(token);
		await connected(client);
		await test.db.deleteFrom('user_session').where('id', '=', session.id).execute();
		const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
		const reply = await join(client, clusterRoom(cluster.banbury));
		expect(reply).toMatchObject({ ok: false, reason: expect.stringMatching(/session has ended/) });
		expect(await disconnected).toBe('io server disconnect');
	});
});

describe('live events', () => {
	it('a committed activity reaches everyone in the room and nobody outside it', async () => {
		const hana = await signedInClient('hana');
		const sam = await signedInClient('sam');
		const abe = await signedInClient('abe');
		await join(hana.client, clusterRoom(cluster.banbury));
		await join(sam.client, clusterRoom(cluster.banbury));
		await join(abe.client, clusterRoom(cluster.abingdon));

		const activityId = await commitActivity(cluster.banbury);
		const [toHana, toSam] = await Promise.all([hana.inbox.next(isActivity(activityId)), sam.inbox.next(isActivity(activityId))]);
		expect(toHana).toEqual(toSam);
		expect(toHana).toMatchObject({
			room: clusterRoom(cluster.banbury),
			kind: 'activity.created',
			payload: { activityId, clusterId: cluster.banbury }
		});

		// Abe's room gets its own event next; had Banbury's reached him it would have come first.
		const abingdonActivity = await commitActivity(cluster.abingdon);
		await abe.inbox.next(isActivity(abingdonActivity));
		expect(abe.inbox.events.map((e) => e.room)).toEqual([clusterRoom(cluster.abingdon)]);
		expect(hana.inbox.events.some(isActivity(abingdonActivity))).toBe(false);
	});

	it("a locality's activity is also published to its district's room", async () => {
		const hana = await signedInClient('hana');
		await join(hana.client, clusterRoom(cluster.cherwell));
		const activityId = await commitActivity(cluster.banbury);
		const event = await hana.inbox.next(isActivity(activityId));
		expect(event.room).toBe(clusterRoom(cluster.cherwell));
	});

	it('an event written in a transaction that is rolled back is never emitted', async () => {
		const sam = await signedInClient('sam');
		const { seq } = await join(sam.client, clusterRoom(cluster.banbury));
		let rolledBackId = 0;
		await expect(
			transact(test.db, people.ada, async (work) => {
				rolledBackId = await work.activity({ clusterId: cluster.banbury, verb: 'bid.submitted', summary: 'Never happened' });
				throw new Error('the headteacher cancelled');
			})
		).rejects.toThrow('the headteacher cancelled');
		expect(rolledBackId).toBeGreaterThan(0);

		const committedId = await commitActivity(cluster.banbury);
		await sam.inbox.next(isActivity(committedId));
		// Only the committed event arrived, and it took the next number: nothing of the rollback survives.
		expect(sam.inbox.events.map((e) => e.payload)).toEqual([{ activityId: committedId, clusterId: cluster.banbury }]);
		expect(sam.inbox.events[0].seq).toBe(seq! + 1);
		expect(await test.db.selectFrom('activity').select('id').where('id', '=', rolledBackId).executeTakeFirst()).toBeUndefined();
		const outbox = await test.db.selectFrom('live_event').select('payload').where('room', '=', clusterRoom(cluster.banbury)).execute();
		expect(outbox.some((row) => (row.payload as { activityId: number }).activityId === rolledBackId)).toBe(false);
	});

	it('a notification reaches its person’s own room and nobody else', async () => {
		const hana = await signedInClient('hana');
		const sam = await signedInClient('sam');
		await transact(test.db, people.ada, (work) => work.notify([people.hana], { kind: 'test', title: 'Please sign off the bid' }));
		const event = await hana.inbox.next((e) => e.kind === 'notification.created');
		expect(event.room).toBe(userRoom(people.hana));
		// Sam's own notification comes next on his socket, with nothing of Hana's before it.
		await transact(test.db, people.ada, (work) => work.notify([people.sam], { kind: 'test', title: 'Your turn' }));
		await sam.inbox.next((e) => e.kind === 'notification.created');
		expect(sam.inbox.events.map((e) => e.room)).toEqual([userRoom(people.sam)]);
	});

	it('a client that rejoins with since=N receives exactly the events it missed, in order', async () => {
		const first = await signedInClient('hana');
		const { seq } = await join(first.client, clusterRoom(cluster.banbury));
		first.client.close();

		const missedIds: number[] = [];
		for (const summary of ['First', 'Second', 'Third']) missedIds.push(await commitActivity(cluster.banbury, summary));
		// Activity elsewhere is not part of this room's catch-up.
		await commitActivity(cluster.abingdon);

		const again = await signedInClient('hana');
		const reply = await join(again.client, clusterRoom(cluster.banbury), seq);
		expect(reply.ok).toBe(true);
		expect(reply.seq).toBe(seq! + 3);
		expect(reply.missed!.map((e) => e.seq)).toEqual([seq! + 1, seq! + 2, seq! + 3]);
		expect(reply.missed!.map((e) => (e.kind === 'activity.created' ? e.payload.activityId : null))).toEqual(missedIds);
		expect(reply.missed!.every((e) => e.room === clusterRoom(cluster.banbury))).toBe(true);

		// Already up to date: nothing to replay.
		expect((await join(again.client, clusterRoom(cluster.banbury), seq! + 3)).missed).toEqual([]);
	});

	it('a client whose missed events were deleted by retention is told to reload instead of waiting on a gap', async () => {
		const first = await signedInClient('hana');
		const { seq } = await join(first.client, clusterRoom(cluster.banbury));
		first.client.close();
		for (const summary of ['Old', 'Older', 'Newest']) await commitActivity(cluster.banbury, summary);
		// Retention deleted the first two (older than its cut-off); the newest is still kept.
		await test.db.deleteFrom('live_event').where('room', '=', clusterRoom(cluster.banbury)).where('seq', '<=', seq! + 2).execute();

		const again = await signedInClient('hana');
		const reply = await join(again.client, clusterRoom(cluster.banbury), seq);
		expect(reply).toMatchObject({ ok: true, seq: seq! + 3, resync: true, missed: [] });
		// A client that saw everything up to what is kept still catches up as before.
		const caughtUp = await join(again.client, clusterRoom(cluster.banbury), seq! + 2);
		expect(caughtUp.resync).toBeUndefined();
		expect(caughtUp.missed!.map((e) => e.seq)).toEqual([seq! + 3]);
		// Every event gone: nothing to replay, but the client is behind, so it reloads.
		await test.db.deleteFrom('live_event').where('room', '=', clusterRoom(cluster.banbury)).execute();
		expect((await join(again.client, clusterRoom(cluster.banbury), seq! + 2)).resync).toBe(true);
		expect((await join(again.client, clusterRoom(cluster.banbury), seq! + 3)).resync).toBeUndefined();
	});
});

describe('presence', () => {
	it('lists everyone in a room, with the section they are working in', async () => {
		const hana = await signedInClient('hana');
		const sam = await signedInClient('sam');
		const room = bidRoom(bidId);
		await join(hana.client, room);
		await join(sam.client, room);
		// Hana is told that the room changed when Sam arrives.
		await expect.poll(() => hana.inbox.presenceChanges.filter((r) => r === room).length).toBeGreaterThanOrEqual(2);

		sam.client.emit('focus', { room, section: 'milestones' });
		await expect
			.poll(async () => (await presentIn(io, room)).find((p) => p.userId === people.sam)?.section)
			.toBe('milestones');
		const present = await presentIn(io, room);
		expect(present.map((p) => p.userId)).toEqual(expect.arrayContaining([people.hana, people.sam]));
		expect(present.find((p) => p.userId === people.hana)?.section ?? null).toBeNull();
		expect(present.some((p) => p.userId === people.abe)).toBe(false);

		// Others see the section by its label.
		const listed = await presenceWithNames(test.db, io, room, people.hana);
		expect(listed.find((p) => p.userId === people.sam)?.section).toBe('Milestones');

		// A focus on a room the socket never joined is ignored.
		sam.client.emit('focus', { room: clusterRoom(cluster.abingdon), section: 'spying' });
		expect(await presentIn(io, clusterRoom(cluster.abingdon))).not.toContainEqual(expect.objectContaining({ userId: people.sam }));
	});

	it('accepts only the sections the page has: any other text is ignored, never shown to others', async () => {
		// Sockets from earlier tests would still show their own sections.
		for (const earlier of clients) earlier.close();
		const hana = await signedInClient('hana');
		const sam = await signedInClient('sam');
		const bid = bidRoom(bidId);
		const workspace = clusterRoom(cluster.banbury);
		for (const room of [bid, workspace]) {
			await join(hana.client, room);
			await join(sam.client, room);
		}
		sam.client.emit('focus', { room: bid, section: 'budget' });
		await expect.poll(async () => (await presentIn(io, bid)).find((p) => p.userId === people.sam)?.section).toBe('budget');
		for (const section of ['Pay me at evil.example', '__proto__', 'constructor', 'toString', 'Budget', 'budget\u0000']) {
			sam.client.emit('focus', { room: bid, section });
			// A workspace page has no sections: even a bid's section id is not one there.
			sam.client.emit('focus', { room: workspace, section: section === 'Budget' ? 'budget' : section });
		}
		// Messages are handled in order: once this join is answered, the unknown sections were handled.
		await join(sam.client, bid);
		expect((await presentIn(io, bid)).find((p) => p.userId === people.sam)?.section).toBe('budget');
		expect((await presentIn(io, workspace)).find((p) => p.userId === people.sam)?.section ?? null).toBeNull();
		const seenByHana = await presenceWithNames(test.db, io, bid, people.hana);
		expect(seenByHana.find((p) => p.userId === people.sam)?.section).toBe('Budget');
		sam.client.emit('focus', { room: bid, section: null });
		await expect.poll(async () => (await presentIn(io, bid)).find((p) => p.userId === people.sam)?.section ?? null).toBeNull();
	});

	it("a quiet join (the home page's to-do list) hears the room's events without being listed there", async () => {
		for (const earlier of [...clients]) earlier.close(); // Sam's sockets from earlier tests are in the room
		const sam = await signedInClient('sam');
		const room = clusterRoom(cluster.banbury);
		const reply: JoinReply = await sam.client.timeout(5000).emitWithAck('join', { room, quiet: true });
		expect(reply.ok).toBe(true);
		const activityId = await commitActivity(cluster.banbury, 'A pledge was confirmed');
		await sam.inbox.next(isActivity(activityId));
		expect((await io.in(room).fetchSockets()).map((socket) => socket.id)).toContain(sam.client.id);
		await expect.poll(async () => (await presentIn(io, room)).map((p) => p.userId)).not.toContain(people.sam);

		// Joining the same room in plain sight (opening the workspace) lists them again.
		await join(sam.client, room);
		await expect.poll(async () => (await presentIn(io, room)).map((p) => p.userId)).toContain(people.sam);
	});

	it('drops a person from the list when they leave the room', async () => {
		const abe = await signedInClient('abe');
		const room = clusterRoom(cluster.abingdon);
		// Abe's sockets from earlier tests are still in the room; this one leaves on its own.
		for (const earlier of clients.filter((c) => c !== abe.client)) earlier.close();
		await join(abe.client, room);
		await expect.poll(async () => (await presentIn(io, room)).map((p) => p.userId)).toEqual([people.abe]);
		abe.client.emit('leave', { room });
		await expect.poll(async () => presentIn(io, room)).toEqual([]);
		// Leaving a workspace keeps the person's own notification room.
		expect((await io.in(userRoom(people.abe)).fetchSockets()).map((s) => s.id)).toEqual([abe.client.id]);
	});
});

describe('bad input over the socket', () => {
	it('a message larger than the limit ends that connection, and nothing it carried is taken', async () => {
		const sam = await signedInClient('sam');
		const room = clusterRoom(cluster.banbury);
		expect((await join(sam.client, room)).ok).toBe(true);
		const closed = new Promise<string>((resolve) => sam.client.once('disconnect', (reason) => resolve(reason)));
		sam.client.emit('focus', { room, section: 'x'.repeat(20_000) });
		expect(await closed).toMatch(/transport (close|error)/);
		await expect.poll(async () => (await presentIn(io, room)).some((p) => p.userId === people.sam)).toBe(false);
	});

	it('a malformed or over-long focus is ignored', async () => {
		const hana = await signedInClient('hana');
		const room = bidRoom(bidId);
		await join(hana.client, room);
		hana.client.emit('focus', { room, section: 's'.repeat(61) });
		hana.client.emit('focus', { room, section: 42 } as never);
		hana.client.emit('focus', 'nonsense' as never);
		// The server handles a socket's messages in order: once this join is answered, the bad ones were handled.
		await join(hana.client, room);
		expect((await presentIn(io, room)).find((p) => p.userId === people.hana)?.section ?? null).toBeNull();
		// A good one is applied, so the check above could have seen a section.
		hana.client.emit('focus', { room, section: 'budget' });
		await expect.poll(async () => (await presentIn(io, room)).find((p) => p.userId === people.hana)?.section).toBe('budget');
	});
});

describe('deactivation', () => {
	it("deactivating someone ends their live connection at once, and they cannot reconnect", async () => {
		const sam = await signedInClient('sam');
		const room = clusterRoom(cluster.banbury);
		await join(sam.client, room);
		const disconnected = new Promise<string>((resolve) => sam.client.once('disconnect', resolve));

		await transact(test.db, people.ada, async (work) => {
			await work.trx.updateTable('app_user').set({ is_active: false, deactivated_at: new Date() }).where('id', '=', people.sam).execute();
			await work.trx.deleteFrom('user_session').where('user_id', '=', people.sam).execute();
			work.disconnectUser(people.sam);
		});

		expect(await disconnected).toBe('io server disconnect');
		await expect.poll(async () => (await presentIn(io, room)).map((p) => p.userId)).not.toContain(people.sam);
		await expect(connected(open(tokens.sam))).rejects.toThrow('unauthorized');
	});
});

describe('ending sessions ends their sockets', () => {
	/** A fresh session for Abe, and a socket connected with it. */
	async function abeSession() {
		const token = generateToken();
		await createSession(test.db, token, people.abe);
		const client = open(token);
		await connected(client);
		await join(client, clusterRoom(cluster.abingdon));
		const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
		return { token, sessionId: hashToken(token), client, disconnected };
	}
	const abe = async () => (await loadActor(test.db, people.abe))!;

	it("signing out disconnects that session's sockets, and only that session's", async () => {
		const leaving = await abeSession();
		const staying = await abeSession();
		await signOut(test.db, await abe(), leaving.sessionId);
		expect(await leaving.disconnected).toBe('io server disconnect');
		await expect.poll(async () => (await presentIn(io, clusterRoom(cluster.abingdon))).length).toBe(1);
		expect(staying.client.connected).toBe(true);
		await expect(connected(open(leaving.token))).rejects.toThrow('unauthorized');
	});

	it('changing the password disconnects the other sessions, keeping this one', async () => {
		await test.db.updateTable('app_user').set({ password_hash: await hashPassword('old passphrase here') }).where('id', '=', people.abe).execute();
		const current = await abeSession();
		const other = await abeSession();
		const result = await changePassword(test.db, await abe(), current.sessionId, {
			current: 'old passphrase here',
			password: 'new kettle meadow orbit'
		});
		expect(result.sessionsEnded).toBeGreaterThanOrEqual(1);
		expect(await other.disconnected).toBe('io server disconnect');
		expect(current.client.connected).toBe(true);
		const sessions = await test.db.selectFrom('user_session').select('id').where('user_id', '=', people.abe).execute();
		expect(sessions.map((row) => row.id)).toEqual([current.sessionId]);
	});

	it('resetting the password from an emailed link disconnects every session', async () => {
		const first = await abeSession();
		const second = await abeSession();
		expect(await requestPasswordReset(test.db, { email: 'abe@portal.example', address: '192.0.2.77' })).toEqual({ ok: true });
		const mail = await test.db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', 'abe@portal.example').orderBy('id', 'desc').executeTakeFirstOrThrow();
		const token = /\/reset\/([a-z2-7]{32})/.exec(mail.body_text)![1];
		await resetPassword(test.db, token, 'orbit kettle meadow lantern');
		expect(await first.disconnected).toBe('io server disconnect');
		expect(await second.disconnected).toBe('io server disconnect');
		expect(await test.db.selectFrom('user_session').select('id').where('user_id', '=', people.abe).execute()).toEqual([]);
	});
});

describe('a change of access', () => {
	it('tells the person’s open page at once, in their own room, then ends their connection; nobody else hears it', async () => {
		// Earlier tests ended Abe's first session: a fresh one.
		tokens.abe = generateToken();
		await createSession(test.db, tokens.abe, people.abe);
		const abe = await signedInClient('abe');
		const hana = await signedInClient('hana');
		const disconnected = new Promise<string>((resolve) => abe.client.once('disconnect', resolve));
		const { id: settingId } = await test.db.selectFrom('setting').select('id').where('urn', '=', '100001').executeTakeFirstOrThrow();
		await grantRole(test.db, (await loadActor(test.db, people.ada))!, { userId: people.abe, grant: { kind: 'setting', settingId, role: 'senco' } });
		// The layout reloads the page on this event, so it shows what Abe may now see.
		expect(await abe.inbox.next((event) => event.kind === 'access.changed')).toMatchObject({ room: userRoom(people.abe), payload: { userIds: [people.abe] } });
		expect(await disconnected).toBe('io server disconnect');
		expect(hana.inbox.events.filter((event) => event.kind === 'access.changed')).toEqual([]);
		expect(hana.client.connected).toBe(true);
	});
});

describe('a commit that tells many people', () => {
	it('reaches each of them on another instance: all its events relayed in one message, beyond what one NOTIFY carries', async () => {
		const otherServer = http.createServer();
		const otherPool = createPool(test.url, 4);
		const other = attachLive(otherServer, test.db, otherPool);
		await new Promise<void>((resolve) => otherServer.listen(0, '127.0.0.1', resolve));
		try {
			const many = await test.db
				.insertInto('app_user')
				.values(Array.from({ length: 300 }, (_, i) => ({ email: `many${i}@portal.example`, name: `Many ${i}` })))
				.returning('id')
				.execute();
			const last = many[many.length - 1].id;
			const token = generateToken();
			await createSession(test.db, token, last);
			const client: Client = connectClient(`http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`, {
				transports: ['websocket'],
				extraHeaders: { cookie: `portal_session=${token}` },
				reconnection: false,
				forceNew: true
			});
			clients.push(client);
			const inbox = new Inbox(client);
			await connected(client);
			await transact(test.db, people.ada, (work) => work.notify(many.map((person) => person.id), { kind: 'round.opened', title: 'A funding round opened' }));
			const told = await inbox.next((event) => event.kind === 'notification.created', 10_000);
			expect(told).toMatchObject({ room: userRoom(last), seq: 1 });
		} finally {
			await new Promise<void>((resolve) => other.close(() => resolve()));
			await otherPool.end();
		}
	});
});
