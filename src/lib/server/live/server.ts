import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { z } from 'zod';
import type { Database } from '../db';
import { tokenFromCookieHeader, validateSessionToken } from '../auth/session';
import { log } from '../log';
import { forgetSessions } from '../auth/session-cache';
import type { RoomName } from '$lib/live/events';
import { userRoom } from '$lib/live/rooms';
import { versionSchema } from '$lib/schemas/common';
import { deliverLocally } from './after-commit';
import { catchUp } from './catch-up';
import { announcePresence, tellRoomPresenceChanged } from './presence';
import { hasPresence, presenceSectionLabel, roomDecision, sessionRoom } from './rooms';
import { forgetStale } from './stale';
import type { LiveServer, LiveSocket } from './socket-types';
import { messageOf } from '../errors';

// The socket.io server: who a socket is, joining and leaving rooms, focus. It knows no feature:
// rooms, presence sections and what events make stale come from the features' registrations.

export { afterCommitHub } from './after-commit';
export { currentSeq, currentSeqs } from './catch-up';
export { presenceWithNames, presentIn, type PresentPerson } from './presence';
export type { LiveServer } from './socket-types';

// `quiet`: follow a room's events without being shown there (the home page's to-do list listens to
// the person's workspaces; they are not "in" each workspace).
const roomRequest = z.object({ room: z.string().max(40), since: versionSchema().optional(), quiet: z.boolean().optional() });
const focusRequest = z.object({ room: z.string().max(40), section: z.string().max(40).nullable() });

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
	// Another instance committed: forget what its events make stale here, then tell our sockets.
	io.on('relay', (events) => {
		forgetStale(db, { events });
		deliverLocally(io, events);
	});
	// (An instance of an older release sends no details: forget every session.)
	io.on('forgetSessions', (whose) => (whose ? forgetStale(db, whose) : forgetSessions(db)));
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
			log.error({ err: messageOf(error) }, 'socket authentication failed');
			next(new Error('unavailable'));
		}
	});

	io.on('connection', (socket) => onConnection(io, db, socket));
	return io;
}

function onConnection(io: LiveServer, db: Database, socket: LiveSocket) {
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
			answer({ ok: true, ...(await catchUp(db, room, parsed.data.since)) });
			if (hasPresence(room) && !socket.data.quiet[room]) announcePresence(io, room);
		} catch (error) {
			log.error({ err: messageOf(error) }, 'socket join failed');
			answer({ ok: false, reason: 'The portal could not open that workspace just now. Try again.' });
		}
	});

	socket.on('leave', (request) => {
		const parsed = roomRequest.safeParse(request);
		if (!parsed.success || !hasPresence(parsed.data.room) || !socket.rooms.has(parsed.data.room)) return;
		void socket.leave(parsed.data.room);
		delete socket.data.focus[parsed.data.room];
		delete socket.data.quiet[parsed.data.room];
		announcePresence(io, parsed.data.room);
	});

	socket.on('focus', (request) => {
		const parsed = focusRequest.safeParse(request);
		// Only a room with presence that this socket was allowed into; anything else is ignored.
		if (!parsed.success || !socket.rooms.has(parsed.data.room) || !hasPresence(parsed.data.room)) return;
		const { room, section } = parsed.data;
		if (section !== null && presenceSectionLabel(room, section) === undefined) return;
		socket.data.focus = { ...socket.data.focus, [room]: section };
		announcePresence(io, room);
	});

	// Tell the rooms once this socket has really left, so their fresh presence list omits it.
	let roomsAtDisconnect: RoomName[] = [];
	socket.on('disconnecting', () => {
		roomsAtDisconnect = [...socket.rooms].filter(hasPresence);
	});
	socket.on('disconnect', () => {
		for (const room of roomsAtDisconnect) announcePresence(io, room);
	});
}
