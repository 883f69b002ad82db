// The capital programme's room and events, as both ends see them. Who may join and what each
// event makes stale on the server: `$lib/server/capital/live.ts`.
import type { RoomName } from '$lib/live/events';
import { roomName } from '$lib/live/rooms';
import { PROGRAMME_ROOM_ID } from './model';

// 'application': an application moved stage, so the places pipeline (the dashboard) changed.
export type CapitalSubject = 'line' | 'source' | 'target' | 'round' | 'application';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** The programme's set-up, followed by the officers looking at it (no presence). */
		capital: true;
	}
	interface LiveEventPayloads {
		/** A line, source, target or round was added or changed: pages showing it refetch. */
		'capital.changed': { subject: CapitalSubject; id: number; version: number };
	}
}

export const programmeRoom: RoomName = roomName('capital', PROGRAMME_ROOM_ID);
