// The one typed list of socket.io events, shared by server and browser. Events are small:
// a kind, ids and a version. Personal data never travels here; clients fetch detail over tRPC.
//
// Features add their room kinds and event kinds to the two interfaces below by declaration
// merging, in their own `$lib/<feature>/live.ts` (see `$lib/bids/live.ts`), so a new kind of
// room or event is never an edit here. The server's registrations (who may join, which cached
// reads an event makes stale) sit in `$lib/server/<feature>/live.ts`. Room names are made by
// `$lib/live/rooms.ts`.

/**
 * Kinds of room, by the prefix of their names (`user:12`). `user` is infrastructure: one per
 * person, for their notifications and for being told their access changed.
 */
export interface LiveRoomKinds {
	user: true;
}
export type RoomKind = keyof LiveRoomKinds & string;
export type RoomName = `${RoomKind}:${number}`;

/** What changed. Each kind lists the ids a client needs to refetch; features add theirs. */
export interface LiveEventPayloads {
	/**
	 * These people's roles, memberships or account changed: every instance forgets what it
	 * remembered about their sessions, and their pages reload. Published to each person's `user:`
	 * room by the commands that change access (`publishAccessChanged`).
	 */
	'access.changed': { userIds: number[] };
}
export type LiveEventKind = keyof LiveEventPayloads & string;

/** A committed change of one kind, numbered per room so a client can tell if it missed one. */
export interface LiveEventOf<K extends LiveEventKind> {
	room: RoomName;
	seq: number;
	kind: K;
	payload: LiveEventPayloads[K];
}
export type LiveEnvelope = { [K in LiveEventKind]: LiveEventOf<K> }[LiveEventKind];

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
	/** Someone arrived, left or moved section; fetch the list with the room's tRPC presence query. */
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
