import { AnnouncedRoom } from '$lib/live/room.svelte';
import type { RoomName } from '$lib/live/events';

/**
 * An assessment page's live rooms (the assessor's page, the scores, the decisions): a declaration,
 * a score, a moderation or a decision by someone else, or the application moving stage, reloads the
 * page's data, which shows only what this reader may see, and is said in the page's polite live
 * region (`announcement`). `rooms` is each room this reader may follow with its number at load
 * (`assessmentPageRooms`). Create once, while the page initialises.
 */
export function followAssessment(data: () => { applicationId: number; reference: string; rooms: Readonly<Partial<Record<RoomName, number>>> }): AnnouncedRoom {
	return new AnnouncedRoom({
		// Cast: the keys are the rooms the load named (Object.keys types them as plain strings).
		rooms: () => Object.keys(data().rooms) as RoomName[],
		since: () => data().rooms,
		quiet: true,
		reloads: () => `assessment:${data().applicationId}`,
		announce: () => `The assessment of ${data().reference} was just updated.`
	});
}
