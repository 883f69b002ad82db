import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient } from 'socket.io-client';
import { createPool } from '../../src/lib/server/db';
import { createSession, generateToken, hashToken } from '../../src/lib/server/auth/session';
import { loadActor } from '../../src/lib/server/auth/actor';
import { hashPassword } from '../../src/lib/server/auth/password';
import { changePassword, requestPasswordReset, resetPassword, signOut } from '../../src/lib/server/auth/account';
import { attachLive, presentIn } from '../../src/lib/server/live/server';
import { transact } from '../../src/lib/server/work';
import { grantRole } from '../../src/lib/server/people';
import { clusterRoom, userRoom } from '../../src/lib/live/rooms';
import { useLiveServer, clients, cluster, people, tokens, io, test, Inbox, open, connected, signedInClient, join, type Client } from './live-fixture';

// Live connections end when the rights they were opened with end: a deactivation, a session
// ended, a change of access (told first to the person's open page); and a commit telling many
// people reaches them on another instance.

useLiveServer();

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
