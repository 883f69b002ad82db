import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';

/** For load balancers and monitoring: is the database answering? */
export const GET: RequestHandler = async () => {
	const started = performance.now();
	try {
		const { db, io, startedAt } = await portal();
		await sql`select 1`.execute(db);
		return json(
			{
				status: 'ok',
				database: { status: 'ok', latencyMs: Math.round(performance.now() - started) },
				live: { status: io ? 'ok' : 'off', sockets: io?.engine.clientsCount ?? 0 },
				uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000)
			},
			{ headers: { 'cache-control': 'no-store' } }
		);
	} catch (error) {
		return json(
			{ status: 'unavailable', database: { status: 'error', message: (error as Error).message } },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
