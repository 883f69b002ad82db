import { portal } from '$lib/server/boot';
import { currentSeq } from '$lib/server/live/server';
import { parseId, requireActor } from '$lib/server/pages';
import { applicationRoom } from '$lib/capital/applications/live';

// What every page of one application starts its load with: the person, the database, the
// application's id, the dependency its live room invalidates, and the room's number read before
// the page's own read (so a change committed in between is replayed to the page).

interface ApplicationPageEvent {
	locals: App.Locals;
	url: URL;
	params: { id: string };
	depends: (...deps: `${string}:${string}`[]) => void;
}

export async function openApplicationPage({ locals, url, params, depends }: ApplicationPageEvent) {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.id);
	depends(`application:${id}`);
	return { actor, db, id, liveSeq: await currentSeq(db, applicationRoom(id)) };
}

/** Where a step on a stage page (scheme, grant) sends the person: back to it, saying what was done. */
export const backToStage = (stage: 'scheme' | 'grant') => (params: { id: string }, done: string) => `/capital/applications/${parseId(params.id)}/${stage}?done=${done}`;
