// An application's room and its change event, as both ends see them. Who may join, presence by
// section and what the event makes stale on the server: `$lib/server/capital/applications/live.ts`.
import type { RoomName } from '$lib/live/events';
import { roomName } from '$lib/live/rooms';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per application being written; writers see who is in which section. */
		application: true;
	}
	interface LiveEventPayloads {
		/** A section saved (section named) or the application moved, signed or given a file (section null). */
		'application.changed': { applicationId: number; version: number; section: string | null };
	}
}

export const applicationRoom = (applicationId: number): RoomName => roomName('application', applicationId);
