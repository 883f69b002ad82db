import { sql, type Transaction } from 'kysely';
import type { DB } from '../db';
import type { LiveEnvelope, LiveEventKind, LiveEventPayloads, RoomName } from '$lib/live/events';

/** A live event as a command queued it, before it is numbered. */
export interface UnnumberedEvent {
	room: RoomName;
	kind: LiveEventKind;
	payload: LiveEventPayloads[LiveEventKind];
}

/**
 * Numbers and stores one action's live events inside its transaction, in two statements however
 * many events and rooms there are: one upsert bumps every room's counter by its number of events,
 * one multi-row insert stores the events. Rooms are bumped in name order (the VALUES rows are
 * sorted, and PostgreSQL takes the row locks in that order), so two actions touching the same
 * rooms queue instead of deadlocking. Each counter row stays locked until commit, so within a room
 * sequence order is commit order and a client that sees seq 7 after seq 5 knows it missed exactly one.
 * `events` come sorted by room, each room's in the order they were queued.
 */
export async function recordLiveEvents(trx: Transaction<DB>, events: readonly UnnumberedEvent[]): Promise<LiveEnvelope[]> {
	if (events.length === 0) return [];
	// Keyed by the name as text: the counters come back from the database as text.
	const counts = new Map<string, number>();
	for (const event of events) counts.set(event.room, (counts.get(event.room) ?? 0) + 1);
	const rooms = [...counts.keys()].sort();
	const bumped = await trx
		.insertInto('live_room')
		.values(rooms.map((room) => ({ room, seq: counts.get(room) ?? 0 })))
		.onConflict((oc) => oc.column('room').doUpdateSet({ seq: sql`live_room.seq + excluded.seq` }))
		.returning(['room', 'seq'])
		.execute();
	// Each room's events take the numbers just below its new counter, in the order given.
	const numbered = new Map(bumped.map((row) => [row.room, row.seq - (counts.get(row.room) ?? 0)]));
	const envelopes = events.map((event) => {
		const seq = (numbered.get(event.room) ?? 0) + 1;
		numbered.set(event.room, seq);
		// Cast: `work.publish` pairs each kind with its payload's type; the queued list cannot keep that pairing.
		return { room: event.room, seq, kind: event.kind, payload: event.payload } as LiveEnvelope;
	});
	await trx
		.insertInto('live_event')
		.values(envelopes.map((event) => ({ room: event.room, seq: event.seq, kind: event.kind, payload: JSON.stringify(event.payload) })))
		.execute();
	return envelopes;
}
