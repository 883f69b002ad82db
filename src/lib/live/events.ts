// The one typed list of socket.io events, shared by server and browser. Events are small:
// a kind, ids and a version. Personal data never travels here; clients fetch detail over tRPC.
import { INT4_MAX } from '$lib/schemas/limits';

/** Rooms: one per workspace (cluster), one per person for their notifications, one per bid being written. */
export type RoomName = `cluster:${number}` | `user:${number}` | `bid:${number}`;
export type RoomKind = 'cluster' | 'user' | 'bid';

export const clusterRoom = (clusterId: number): RoomName => `cluster:${clusterId}`;
export const userRoom = (userId: number): RoomName => `user:${userId}`;
export const bidRoom = (bidId: number): RoomName => `bid:${bidId}`;

export function parseRoom(room: string): { kind: RoomKind; id: number } | null {
	const match = /^(cluster|user|bid):([1-9][0-9]{0,9})$/.exec(room);
	// Ten digits can still be beyond an int4 id; such a room names nothing.
	if (!match || Number(match[2]) > INT4_MAX) return null;
	return { kind: match[1] as RoomKind, id: Number(match[2]) };
}

/** Rooms whose members are shown to each other (presence). */
export const hasPresence = (room: string) => room.startsWith('cluster:') || room.startsWith('bid:');

/** What changed. Each kind lists the ids a client needs to refetch. */
export interface LiveEventPayloads {
	'activity.created': { activityId: number; clusterId: number };
	'notification.created': { notificationId: number };
	'notification.read': { notificationId: number | null };
	'cluster.changed': { clusterId: number; version: number };
	'membership.changed': { clusterId: number };
	'round.changed': { roundId: number; version: number };
	'bid.changed': { bidId: number; roundId: number; version: number; section: string | null };
}
export type LiveEventKind = keyof LiveEventPayloads;

/** A committed change, numbered per room so a client can tell if it missed one. */
export type LiveEnvelope = {
	[K in LiveEventKind]: { room: RoomName; seq: number; kind: K; payload: LiveEventPayloads[K] };
}[LiveEventKind];

export interface JoinReply {
	ok: boolean;
	/** Why the server refused, in words for people. */
	reason?: string;
	/** The room's latest sequence number, to compare against what the client holds. */
	seq?: number;
	/** Events after the client's `since`, when it asked for them. */
	missed?: LiveEnvelope[];
	/** The events after `since` are no longer all kept (retention): reload instead of catching up. */
	resync?: boolean;
}

export interface ServerToClientEvents {
	live: (event: LiveEnvelope) => void;
	/** Someone arrived, left or moved section; fetch the list with tRPC `workspace.presence`. */
	presence: (change: { room: RoomName }) => void;
}

export interface ClientToServerEvents {
	/** `quiet`: receive the room's events without appearing in its presence list. */
	join: (request: { room: string; since?: number; quiet?: boolean }, reply: (answer: JoinReply) => void) => void;
	leave: (request: { room: string }) => void;
	/** Which part of a page a person is in (e.g. a bid section), shown to others as presence. */
	focus: (request: { room: string; section: string | null }) => void;
}

export interface SocketData {
	userId: number;
	sessionId: string;
	/** Where this socket's person is, per room (for presence). */
	focus: Record<string, string | null>;
	/** Rooms this socket follows without being shown as present. */
	quiet: Record<string, true>;
}

/** Catch-up replays at most this many events; beyond it a client reloads its data. */
export const MAX_CATCH_UP = 200;
