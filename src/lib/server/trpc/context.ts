import type { RequestEvent } from '@sveltejs/kit';
import { portal } from '../boot';

export async function createContext(event: RequestEvent) {
	const { db, io } = await portal();
	return { db, io, actor: event.locals.actor, session: event.locals.session, event };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
