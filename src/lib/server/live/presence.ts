import type { Database } from '../db';
import type { RoomName } from '$lib/live/events';
import { presenceSectionLabel } from './rooms';
import type { LiveServer } from './socket-types';

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

export function tellRoomPresenceChanged(io: LiveServer, room: RoomName) {
	presenceLookups.get(io)?.delete(room);
	io.local.to(room).emit('presence', { room });
}

/** Someone arrived, left or moved section: tell this room on every instance. */
export function announcePresence(io: LiveServer, room: RoomName) {
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
	const ids = present.map((p) => p.userId);
	const names = await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', ids).execute();
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
