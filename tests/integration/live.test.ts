import { describe, expect, it } from 'vitest';
import { createSession, generateToken } from '../../src/lib/server/auth/session';
import { currentSeq, currentSeqs, presenceWithNames, presentIn } from '../../src/lib/server/live/server';
import { transact } from '../../src/lib/server/work';
import type { JoinReply } from '../../src/lib/live/events';
import { bidRoom, clusterRoom, userRoom } from '../../src/lib/live/rooms';
import { useLiveServer, clients, cluster, people, bidId, io, test, open, connected, signedInClient, join, commitActivity, isActivity } from './live-fixture';

useLiveServer();

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

	it('a page following several rooms reads each room’s number in one go (a room nothing was said in is at 0), so each can replay what it missed', async () => {
		const quiet = clusterRoom(999_999);
		await commitActivity(cluster.abingdon);
		const seqs = await currentSeqs(test.db, [clusterRoom(cluster.banbury), clusterRoom(cluster.abingdon), quiet]);
		expect(seqs).toEqual({
			[clusterRoom(cluster.banbury)]: await currentSeq(test.db, clusterRoom(cluster.banbury)),
			[clusterRoom(cluster.abingdon)]: await currentSeq(test.db, clusterRoom(cluster.abingdon)),
			[quiet]: 0
		});
		expect(seqs[clusterRoom(cluster.abingdon)]).toBeGreaterThan(0);
		expect(await currentSeqs(test.db, [])).toEqual({});
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
