import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { z } from 'zod';
import type { Database } from '../db';
import { loadActor } from '../auth/actor';
import { tokenFromCookieHeader, validateSessionToken } from '../auth/session';
import { can, type Decision } from '../policy';
import { log } from '../log';
import { loadBidRef } from '../bids/access';
import { forgetWorkspacesAfter } from '../workspace/cache';
import { forgetSessions, forgetSessionsAfter } from '../auth/session-cache';
import { deliverMail } from '../mail';
import type { AfterCommitHub } from './hub';
import {
	MAX_CATCH_UP,
	hasPresence,
	parseRoom,
	type RoomKind,
	userRoom,
	type ClientToServerEvents,
	type LiveEnvelope,
	type RoomName,
	type ServerToClientEvents,
	type SocketData
} from '$lib/live/events';
import { BID_SECTIONS } from '$lib/bids/model';
import { versionSchema } from '$lib/schemas/common';

/**
 * Every socket also sits in a room named after its session (the session's hashed id, never the
 * token; clients cannot join it, parseRoom refuses it), so ending a session ends its sockets on
 * every instance through the adapter.
 */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** Between app instances: a committed change's events, relayed to the other instances' own sockets. */
interface InstanceEvents {
	relay: (events: LiveEnvelope[]) => void;
	/** Someone's rights or sessions changed on another instance: forget remembered sessions. */
	forgetSessions: () => void;
	presence: (room: RoomName) => void;
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InstanceEvents, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InstanceEvents, SocketData>;

// `quiet`: follow a room's events without being shown there (the home page's to-do list listens to
// the person's workspaces; they are not "in" each workspace).
const roomRequest = z.object({ room: z.string().max(40), since: versionSchema().optional(), quiet: z.boolean().optional() });
const focusRequest = z.object({ room: z.string().max(40), section: z.string().max(40).nullable() });

/**
 * The sections a person can be "in", per kind of room, by id with the label others see. Presence
 * is shown to everyone in the room, so a section the page does not have is ignored, never relayed.
 */
const PRESENCE_SECTIONS: Partial<Record<RoomKind, Readonly<Record<string, string>>>> = { bid: BID_SECTIONS };

/** The section's label if this kind of room has a section with that id. */
export function presenceSectionLabel(room: string, section: string): string | undefined {
	const sections = PRESENCE_SECTIONS[parseRoom(room)?.kind ?? 'user'];
	return sections && Object.hasOwn(sections, section) ? sections[section] : undefined;
}

/** Browsers always send Origin on a WebSocket handshake; refuse other sites (cross-site WebSocket hijacking). */
function sameOrigin(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin) return true; // not a browser (bench and test clients); the session cookie still decides
	const allowed = process.env.ORIGIN ? [new URL(process.env.ORIGIN).host] : [];
	try {
		const host = new URL(origin).host;
		return host === req.headers.host || allowed.includes(host);
	} catch {
		return false;
	}
}

/** May this person be in this room right now? Asked fresh on every join. */
export async function roomDecision(db: Database, userId: number, room: string): Promise<Decision & { room?: RoomName }> {
	const parsed = parseRoom(room);
	if (!parsed) return { allowed: false, reason: 'There is no such workspace.' };
	const actor = await loadActor(db, userId);
	if (parsed.kind === 'user') {
		return { ...can(actor, { action: 'live.joinUserRoom', userId: parsed.id }), room: room as RoomName };
	}
	if (parsed.kind === 'bid') {
		const bid = await loadBidRef(db, parsed.id).catch(() => null);
		if (!bid) return { allowed: false, reason: 'There is no such bid.' };
		return { ...can(actor, { action: 'bid.view', bid }), room: room as RoomName };
	}
	const cluster = await db.selectFrom('cluster').select(['id', 'name', 'kind']).where('id', '=', parsed.id).executeTakeFirst();
	if (!cluster) return { allowed: false, reason: 'There is no such workspace.' };
	return { ...can(actor, { action: 'workspace.view', cluster }), room: room as RoomName };
}

export async function eventsSince(db: Database, room: RoomName, since: number): Promise<LiveEnvelope[]> {
	const rows = await db
		.selectFrom('live_event')
		.select(['room', 'seq', 'kind', 'payload'])
		.where('room', '=', room)
		.where('seq', '>', since)
		.orderBy('seq')
		.limit(MAX_CATCH_UP)
		.execute();
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

/**
 * The pool as the postgres adapter sees it. The adapter holds one client for LISTEN and, when the
 * database restarts, takes a new one without releasing the dead one, so each restart would leak a
 * pool slot until the pool was empty. Releasing the client as soon as its connection ends (with an
 * error, so the pool discards it) keeps the pool whole; the adapter then LISTENs again on a fresh one.
 */
export function adapterPool(pool: pg.Pool): pg.Pool {
	return new Proxy(pool, {
		get(target, property) {
			if (property !== 'connect') {
				const value: unknown = Reflect.get(target, property);
				return typeof value === 'function' ? value.bind(target) : value;
			}
			return async () => {
				const client = await target.connect();
				client.once('end', () => {
					try {
						client.release(new Error('connection ended'));
					} catch {
						// already released (the adapter closing)
					}
				});
				return client;
			};
		}
	});
}

export function attachLive(httpServer: HttpServer, db: Database, pool: pg.Pool): LiveServer {
	const io: LiveServer = new Server(httpServer, {
		serveClient: false,
		maxHttpBufferSize: 8_000,
		allowRequest: (req, callback) => callback(null, sameOrigin(req))
	});
	io.adapter(createAdapter(adapterPool(pool), { tableName: 'socket_io_attachments' }));
	io.on('relay', (events) => {
		forgetWorkspacesAfter(db, events);
		forgetSessionsAfter(db, events, []);
		deliverLocally(io, events);
	});
	io.on('forgetSessions', () => forgetSessions(db));
	io.on('presence', (room) => tellRoomPresenceChanged(io, room));

	// Every socket proves who it is with the session cookie before it can do anything.
	io.use(async (socket, next) => {
		try {
			const token = tokenFromCookieHeader(socket.request.headers.cookie);
			const validated = token ? await validateSessionToken(db, token) : null;
			if (!validated) return next(new Error('unauthorized'));
			socket.data.userId = validated.actor.id;
			socket.data.sessionId = validated.session.id;
			socket.data.focus = {};
			socket.data.quiet = {};
			next();
		} catch (error) {
			log.error({ err: (error as Error).message }, 'socket authentication failed');
			next(new Error('unavailable'));
		}
	});

	io.on('connection', (socket: LiveSocket) => {
		void socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]);

		socket.on('join', async (request, reply) => {
			const answer = typeof reply === 'function' ? reply : () => undefined;
			const parsed = roomRequest.safeParse(request);
			if (!parsed.success) return answer({ ok: false, reason: 'That request was not understood.' });
			try {
				const session = await db.selectFrom('user_session').select('id').where('id', '=', socket.data.sessionId).executeTakeFirst();
				if (!session) {
					answer({ ok: false, reason: 'Your session has ended. Sign in again.' });
					socket.disconnect(true);
					return;
				}
				const decision = await roomDecision(db, socket.data.userId, parsed.data.room);
				if (!decision.allowed || !decision.room) {
					return answer({ ok: false, reason: decision.allowed ? 'There is no such workspace.' : decision.reason });
				}
				const room = decision.room;
				// Quiet only if this socket is not already in the room in plain sight.
				if (parsed.data.quiet && !socket.rooms.has(room)) socket.data.quiet = { ...socket.data.quiet, [room]: true };
				else if (!parsed.data.quiet) delete socket.data.quiet[room];
				await socket.join(room);
				const seq = await currentSeq(db, room);
				const since = parsed.data.since;
				const missed = since !== undefined ? await eventsSince(db, room, since) : undefined;
				// Retention deletes old events: a client asking from before what is kept reloads instead.
				if (since !== undefined && missed && !replaysAll(since, seq, missed)) answer({ ok: true, seq, missed: [], resync: true });
				else answer({ ok: true, seq, missed });
				if (hasPresence(room) && !socket.data.quiet[room]) announcePresence(io, room);
			} catch (error) {
				log.error({ err: (error as Error).message }, 'socket join failed');
				answer({ ok: false, reason: 'The portal could not open that workspace just now. Try again.' });
			}
		});

		socket.on('leave', (request) => {
			const parsed = roomRequest.safeParse(request);
			if (!parsed.success || !hasPresence(parsed.data.room) || !socket.rooms.has(parsed.data.room)) return;
			void socket.leave(parsed.data.room);
			delete socket.data.focus[parsed.data.room];
			delete socket.data.quiet[parsed.data.room];
			announcePresence(io, parsed.data.room as RoomName);
		});

		socket.on('focus', (request) => {
			const parsed = focusRequest.safeParse(request);
			// Only a room this socket was allowed into; anything else is ignored.
			if (!parsed.success || !socket.rooms.has(parsed.data.room)) return;
			const { room, section } = parsed.data;
			if (section !== null && presenceSectionLabel(room, section) === undefined) return;
			socket.data.focus = { ...socket.data.focus, [room]: section };
			announcePresence(io, room as RoomName);
		});

		// Tell the rooms once this socket has really left, so their fresh presence list omits it.
		let roomsAtDisconnect: string[] = [];
		socket.on('disconnecting', () => {
			roomsAtDisconnect = [...socket.rooms].filter(hasPresence);
		});
		socket.on('disconnect', () => {
			for (const room of roomsAtDisconnect) announcePresence(io, room as RoomName);
		});
	});

	return io;
}

export interface PresentPerson {
	userId: number;
	section: string | null;
}

/** Who is in a room now, across every app instance (through the Postgres adapter). */
// When one person arrives, every browser in the room asks who is here; one look across the
// instances answers them all for a moment. Any change to a room's presence, on any instance,
// forgets the answer everywhere before the browsers are told to ask again.
const PRESENCE_FRESH_MS = 750;
const presenceLookups = new WeakMap<LiveServer, Map<string, { at: number; people: Promise<PresentPerson[]> }>>();

function tellRoomPresenceChanged(io: LiveServer, room: RoomName) {
	presenceLookups.get(io)?.delete(room);
	io.local.to(room).emit('presence', { room });
}

/** Someone arrived, left or moved section: tell this room on every instance. */
function announcePresence(io: LiveServer, room: RoomName) {
	tellRoomPresenceChanged(io, room);
	io.serverSideEmit('presence', room);
}

export function presentIn(io: LiveServer, room: RoomName): Promise<PresentPerson[]> {
	let lookups = presenceLookups.get(io);
	if (!lookups) presenceLookups.set(io, (lookups = new Map()));
	const recent = lookups.get(room);
	if (recent && Date.now() - recent.at < PRESENCE_FRESH_MS) return recent.people;
	const people = lookUpPresence(io, room);
	lookups.set(room, { at: Date.now(), people });
	people.catch(() => lookups.delete(room));
	return people;
}

async function lookUpPresence(io: LiveServer, room: RoomName): Promise<PresentPerson[]> {
	const sockets = await io.in(room).fetchSockets();
	const people = new Map<number, PresentPerson>();
	for (const socket of sockets) {
		if (socket.data.quiet?.[room]) continue; // following the room's events, not present in it
		const section = socket.data.focus?.[room] ?? null;
		const existing = people.get(socket.data.userId);
		if (!existing || (existing.section === null && section !== null)) {
			people.set(socket.data.userId, { userId: socket.data.userId, section });
		}
	}
	return [...people.values()];
}

/** Presence with display names, for the tRPC presence queries (names travel over tRPC, never in events). */
export async function presenceWithNames(db: Database, io: LiveServer | undefined, room: RoomName, viewerId: number) {
	if (!io) return [];
	const present = await presentIn(io, room);
	if (present.length === 0) return [];
	const names = await db
		.selectFrom('app_user')
		.select(['id', 'name'])
		.where(
			'id',
			'in',
			present.map((p) => p.userId)
		)
		.execute();
	const nameOf = new Map(names.map((n) => [n.id, n.name]));
	return present
		.map((p) => ({
			userId: p.userId,
			name: nameOf.get(p.userId) ?? 'Someone',
			// Shown by its label; checked again here so nothing but a known section reaches others.
			section: p.section === null ? null : (presenceSectionLabel(room, p.section) ?? null),
			isYou: p.userId === viewerId
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** What boot installs to run after each commit: emit its live events, send its mail, end connections. */
/** Sends events to this instance's sockets at once, in the order given (room sequence order). */
function deliverLocally(io: LiveServer, events: LiveEnvelope[]) {
	for (const event of events) io.local.to(event.room).emit('live', event);
}

export function afterCommitHub(db: Database, io: LiveServer | undefined): AfterCommitHub {
	// Local sockets hear a commit straight away and in order; other instances get the whole commit
	// as one message, so a commit's events stay in order there too. (Two commits relayed at the same
	// moment can still arrive swapped; browsers hold early events briefly and ask for any gap.)
	return {
		emit(events) {
			if (!io) return;
			deliverLocally(io, events);
			io.serverSideEmit('relay', events);
		},
		deliverMail(ids) {
			deliverMail(db, ids).catch((error: Error) => log.error({ err: error.message }, 'mail delivery failed'));
		},
		disconnectUsers(userIds) {
			io?.serverSideEmit('forgetSessions');
			for (const id of userIds) io?.in(userRoom(id)).disconnectSockets(true);
		},
		disconnectSessions(sessionIds) {
			io?.serverSideEmit('forgetSessions');
			for (const id of sessionIds) io?.in(sessionRoom(id)).disconnectSockets(true);
		}
	};
}
