// Room names, made the same way by both ends and by every layer. A kind of room is declared by
// its feature (`cluster` in `$lib/clusters/live.ts`, `bid` in `$lib/bids/live.ts`, by declaration
// merging into `LiveRoomKinds`); the names live here, in the shared layer, so the server's own
// machinery (`work.ts` tells a workspace's room of each feed line) and the features name rooms
// without importing one another.
import { INT4_MAX } from '$lib/schemas/limits';
import type { RoomKind, RoomName } from './events';

/** A room's name from its kind and id. */
export const roomName = (kind: RoomKind, id: number): RoomName => `${kind}:${id}`;

/** Each person's own room: their notifications, and word that their access changed. */
export const userRoom = (userId: number): RoomName => roomName('user', userId);
/** A workspace's room: its feed, members, rounds and bids' headlines. */
export const clusterRoom = (clusterId: number): RoomName => roomName('cluster', clusterId);
/** A bid being written: its sections and who is in which. */
export const bidRoom = (bidId: number): RoomName => roomName('bid', bidId);

/** A room name's kind and id, or null when it is not the shape of one (`kind:positive int4`). */
export function splitRoom(room: string): { kind: string; id: number } | null {
	const match = /^([a-z]{1,20}):([1-9][0-9]{0,9})$/.exec(room);
	// Ten digits can still be beyond an int4 id; such a room names nothing.
	if (!match || Number(match[2]) > INT4_MAX) return null;
	return { kind: match[1], id: Number(match[2]) };
}
