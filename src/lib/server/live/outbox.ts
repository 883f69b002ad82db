import { sql, type Transaction } from 'kysely';
import type { DB } from '../db';
import type { LiveEnvelope, LiveEventKind, LiveEventPayloads, RoomName } from '$lib/live/events';

/**
 * Records a live event inside the writing transaction. The per-room counter row stays locked
 * until commit, so within a room sequence order is commit order and a client that sees
 * seq 7 after seq 5 knows it missed exactly one event.
 */
export async function recordLiveEvent<K extends LiveEventKind>(
	trx: Transaction<DB>,
	room: RoomName,
	kind: K,
	payload: LiveEventPayloads[K]
): Promise<LiveEnvelope> {
	const { seq } = await trx
		.insertInto('live_room')
		.values({ room, seq: 1 })
		.onConflict((oc) => oc.column('room').doUpdateSet({ seq: sql`live_room.seq + 1` }))
		.returning('seq')
		.executeTakeFirstOrThrow();
	await trx.insertInto('live_event').values({ room, seq, kind, payload: JSON.stringify(payload) }).execute();
	return { room, seq, kind, payload } as LiveEnvelope;
}
