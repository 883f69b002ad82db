import { AnnouncedRoom } from '$lib/live/room.svelte';
import { applicationRoom } from '$lib/capital/applications/live';

/**
 * A stage page's (scheme, grant) live room: a step someone else takes reloads the page's data and
 * is said in the page's polite live region (`announcement`). Create once, while the page initialises.
 */
export function stageRoom(data: () => { application: { id: number; version: number }; liveSeq: number }, what: string): AnnouncedRoom {
	return new AnnouncedRoom({
		rooms: () => applicationRoom(data().application.id),
		since: () => data().liveSeq,
		quiet: true,
		reloads: () => `application:${data().application.id}`,
		announce: (event) => (event.kind === 'application.changed' && event.payload.version >= data().application.version ? `The ${what} was just updated.` : null)
	});
}
