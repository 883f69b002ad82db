// The discussion rooms and their event, as both ends see them. A discussion's room is named by
// its subject (the bid, application, consultation or round), not by its discussion row, so people
// already on a page with no comments yet are in the room when the first comment is posted. Who may
// join (whoever may see the subject): `$lib/server/discussions/live.ts`. Ids only; pages refetch.
import { roomName } from '$lib/live/rooms';
import type { RoomKind, RoomName } from '$lib/live/events';
import type { SubjectKind } from './model';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** The discussion on a funding bid. */
		discussbid: true;
		/** The discussion on an inclusion-base application. */
		discussapplication: true;
		/** The discussion on a PCF consultation. */
		discussconsultation: true;
		/** The discussion on a funding round (beside the forum's themed response to it). */
		discussround: true;
	}
	interface LiveEventPayloads {
		/** A comment was posted, edited or deleted in this discussion. */
		'discussion.changed': { discussionId: number; commentId: number };
	}
}

/** Each kind of subject's discussion room kind; a new kind of subject adds one here. */
export const DISCUSSION_ROOM_KINDS = {
	bid: 'discussbid',
	capital_application: 'discussapplication',
	pcf_consultation: 'discussconsultation',
	funding_round: 'discussround'
} as const satisfies Record<SubjectKind, RoomKind>;

/** The room of the discussion on this subject, whether or not anyone has commented yet. */
export const discussionRoom = (kind: SubjectKind, subjectId: number): RoomName => roomName(DISCUSSION_ROOM_KINDS[kind], subjectId);
