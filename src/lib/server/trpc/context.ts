import type { RequestEvent } from '@sveltejs/kit';
import { portal } from '../boot';
import { idempotencyKeyOf } from './idempotency';

export async function createContext(event: RequestEvent) {
	const { db, io } = await portal();
	return { db, io, actor: event.locals.actor, session: event.locals.session, event, idempotencyKey: idempotencyKeyOf(event.request.headers) };
}

/** The key is optional so that callers made in tests (createCaller) need not name it. */
export type Context = Omit<Awaited<ReturnType<typeof createContext>>, 'idempotencyKey'> & { idempotencyKey?: string };
