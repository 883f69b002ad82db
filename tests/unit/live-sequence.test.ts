import { describe, expect, it } from 'vitest';
import { RoomSequence } from '../../src/lib/live/sequence';
import type { LiveEnvelope } from '../../src/lib/live/events';

const event = (seq: number): LiveEnvelope => ({
	room: 'cluster:1',
	seq,
	kind: 'activity.created',
	payload: { activityId: seq, clusterId: 1 }
});
const seqs = (events: LiveEnvelope[]) => events.map((e) => e.seq);

describe('a room’s events in order, with no silent gaps', () => {
	it('hands on events in sequence and ignores ones already seen', () => {
		const room = new RoomSequence();
		room.start(4);
		expect(seqs(room.receive(event(5)))).toEqual([5]);
		expect(seqs(room.receive(event(5)))).toEqual([]);
		expect(seqs(room.receive(event(3)))).toEqual([]);
		expect(room.last).toBe(5);
	});

	it('holds an early event until the one before it arrives, then hands both on in order', () => {
		const room = new RoomSequence();
		room.start(0);
		expect(seqs(room.receive(event(2)))).toEqual([]);
		expect(room.waiting).toBe(true);
		expect(seqs(room.receive(event(3)))).toEqual([]);
		expect(seqs(room.receive(event(1)))).toEqual([1, 2, 3]);
		expect(room.waiting).toBe(false);
	});

	it('fills a gap from the server’s catch-up, merging with what is held', () => {
		const room = new RoomSequence();
		room.start(10);
		room.receive(event(13));
		expect(room.waiting).toBe(true);
		expect(seqs(room.catchUp([event(11), event(12), event(13)]))).toEqual([11, 12, 13]);
		expect(room.waiting).toBe(false);
		expect(room.last).toBe(13);
	});

	it('continues from the number a page loaded with, so events between loading and connecting are not lost', () => {
		const room = new RoomSequence();
		room.start(7); // the page's data was read at seq 7
		expect(seqs(room.catchUp([event(8), event(9)]))).toEqual([8, 9]);
	});

	it('skips to the present when too much was missed to replay', () => {
		const room = new RoomSequence();
		room.start(1);
		room.receive(event(400));
		room.skipTo(500);
		expect(room.waiting).toBe(false);
		expect(seqs(room.receive(event(501)))).toEqual([501]);
	});

	it('hands on nothing before counting has started', () => {
		expect(new RoomSequence().receive(event(1))).toEqual([]);
	});
});
