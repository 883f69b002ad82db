import type { Database } from '../db';
import { loadActor } from '../auth/actor';
import type { Decision } from '../decision';
import { ROOM_KINDS } from '../live-features';
import type { RoomName } from '$lib/live/events';
import { roomName, splitRoom } from '$lib/live/rooms';
import type { RoomKindRegistration } from './registry';

// Room names, presence and who may join, all read from the features' registrations.

/**
 * Every socket also sits in a room named after its session (the session's hashed id, never the
 * token; clients cannot join it, parseRoom refuses it), so ending a session ends its sockets on
 * every instance through the adapter.
 */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

const kindOf = (kind: string): RoomKindRegistration | undefined => ROOM_KINDS.find((registered) => registered.kind === kind);

/** A room a client may ask for: a registered kind and an int4 id; anything else names nothing. */
export function parseRoom(room: string): { kind: RoomKindRegistration; id: number; room: RoomName } | null {
	const split = splitRoom(room);
	const kind = split ? kindOf(split.kind) : undefined;
	// Made again from its parts, which gives the name its type; splitRoom accepts only the one spelling of an id, so it is the same text.
	return split && kind ? { kind, id: split.id, room: roomName(kind.kind, split.id) } : null;
}

/** Rooms whose members are shown to each other (presence): a type guard, as only a registered room's name passes. */
export const hasPresence = (room: string): room is RoomName => parseRoom(room)?.kind.presence !== undefined;

/** The section's label if this kind of room has a section with that id. */
export function presenceSectionLabel(room: string, section: string): string | undefined {
	const sections = parseRoom(room)?.kind.presence?.sections;
	return sections && Object.hasOwn(sections, section) ? sections[section] : undefined;
}

/** May this person be in this room right now? Asked fresh on every join. */
export async function roomDecision(db: Database, userId: number, room: string): Promise<Decision & { room?: RoomName }> {
	const parsed = parseRoom(room);
	if (!parsed) return { allowed: false, reason: 'There is no such workspace.' };
	const actor = await loadActor(db, userId);
	return { ...(await parsed.kind.authorize(db, actor, parsed.id)), room: parsed.room };
}
