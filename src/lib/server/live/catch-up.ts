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

/**
 * Each room's latest number as this instance knows it: read from `live_room`, then moved on by
 * every commit seen here or relayed from another instance (`noteCommitted`, called once what the
 * commit made stale has been forgotten, so a page that reads the number and then its data never
 * gets data older than the number). Read again from the database after a while, as a backstop
 * for a relay that never arrived: a number behind only makes a page replay events it has.
 */
const REREAD_MS = 30_000;
interface Known {
	seq: number;
	/** When the database was last asked. */
	at: number;
}
const knownSeqs = new WeakMap<Database, Map<RoomName, Known>>();

function knownOf(db: Database): Map<RoomName, Known> {
	let known = knownSeqs.get(db);
	if (!known) knownSeqs.set(db, (known = new Map()));
	return known;
}

/** Moves on the numbers of rooms this instance remembers, for events committed here or relayed. */
export function noteCommitted(db: Database, events: readonly LiveEnvelope[]): void {
	const known = knownSeqs.get(db);
	if (!known) return;
	for (const event of events) {
		const entry = known.get(event.room);
		if (entry && event.seq > entry.seq) entry.seq = event.seq;
	}
}

/** The room's latest event number: pages load it with their data and follow on from it, so nothing committed in between is missed. */
export async function currentSeq(db: Database, room: RoomName): Promise<number> {
	return (await currentSeqs(db, [room]))[room] ?? 0;
}

/** Each room's number, for a page that follows several (at most one statement; rooms nothing was said in are at 0). */
export async function currentSeqs(db: Database, rooms: readonly RoomName[]): Promise<Partial<Record<RoomName, number>>> {
	const known = knownOf(db);
	const now = Date.now();
	const seqs: Partial<Record<RoomName, number>> = {};
	const unknown: RoomName[] = [];
	for (const room of rooms) {
		const entry = known.get(room);
		if (entry && now - entry.at < REREAD_MS) seqs[room] = entry.seq;
		else unknown.push(room);
	}
	if (unknown.length === 0) return seqs;
	const rows = await db.selectFrom('live_room').select(['room', 'seq']).where('room', 'in', unknown).execute();
	const read = new Map(rows.map((row) => [row.room as RoomName, row.seq]));
	for (const room of unknown) {
		// A commit noted while the database was being asked may be newer than what it answered.
		const seq = Math.max(read.get(room) ?? 0, known.get(room)?.seq ?? 0);
		known.set(room, { seq, at: now });
		seqs[room] = seq;
	}
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
