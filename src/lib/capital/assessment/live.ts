// An application's assessment room and its event, as both ends see them. Who may join (officers
// following the assessment, never an assessor who declared a conflict, never the applicant) and
// what the event makes stale on the server: `$lib/server/capital/assessment/live.ts`.
import type { RoomName } from '$lib/live/events';
import { roomName } from '$lib/live/rooms';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per application being assessed: its assessor's page, scores page and decisions. */
		assessment: true;
	}
	interface LiveEventPayloads {
		/**
		 * Someone declared, scored, moderated or decided on it. Only the id: each page reloads what
		 * its reader may see (an assessor who has not scored still sees no one else's scores).
		 */
		'assessment.changed': { applicationId: number };
	}
}

export const assessmentRoom = (applicationId: number): RoomName => roomName('assessment', applicationId);
