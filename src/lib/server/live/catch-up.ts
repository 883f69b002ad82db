import type { Database } from '../db';
import { MAX_CATCH_UP, type LiveEnvelope, type RoomName } from '$lib/live/events';

// A client that was away asks for what it missed; the outbox table keeps each room's events.

export async function eventsSince(db: Database, room: RoomName, since: number): Promise<LiveEnvelope[]> {
	const rows = await db
		.selectFrom('live_event')
		.select(['room', 'seq', 'kind', 'payload'])
		.where('room', '=', room)
		.where('seq', '>', since)
		.orderBy('seq')
		.limit(MAX_CATCH_UP)
		.execute();
	// Cast: the row was written by recordLiveEvents from a typed envelope; the database keeps kind and payload as text and JSON.
	return rows.map((row) => ({ room: row.room, seq: row.seq, kind: row.kind, payload: row.payload }) as LiveEnvelope);
}

/**
 * Whether `missed` is every event after `since`: numbered on from it without a gap. A gap means
 * retention has deleted events the client never saw (a page left open for days).
 */
export function replaysAll(since: number, seq: number, missed: LiveEnvelope[]): boolean {
	if (missed.length >= MAX_CATCH_UP) return true; // the client reloads anyway
	if (since >= seq) return true;
	return missed.length > 0 && missed.every((event, index) => event.seq === since + 1 + index);
}

/** The room's latest event number: pages load it with their data and follow on from it, so nothing committed in between is missed. */
export async function currentSeq(db: Database, room: RoomName): Promise<number> {
	const row = await db.selectFrom('live_room').select('seq').where('room', '=', room).executeTakeFirst();
	return row?.seq ?? 0;
}

/** Each room's number, for a page that follows several (one statement; rooms nothing was said in are at 0). */
export async function currentSeqs(db: Database, rooms: readonly RoomName[]): Promise<Partial<Record<RoomName, number>>> {
	const seqs: Partial<Record<RoomName, number>> = Object.fromEntries(rooms.map((room) => [room, 0]));
	if (rooms.length === 0) return seqs;
	const rows = await db.selectFrom('live_room').select(['room', 'seq']).where('room', 'in', rooms).execute();
	for (const row of rows) seqs[row.room as RoomName] = row.seq;
	return seqs;
}

/** The join's answer about events: the room's number, and what was missed since `since` (or "reload"). */
export async function catchUp(db: Database, room: RoomName, since: number | undefined) {
	const seq = await currentSeq(db, room);
	if (since === undefined) return { seq, missed: undefined };
	const missed = await eventsSince(db, room, since);
	// Retention deletes old events: a client asking from before what is kept reloads instead.
	return replaysAll(since, seq, missed) ? { seq, missed } : { seq, missed: [], resync: true as const };
}
