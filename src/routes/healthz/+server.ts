import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { log } from '$lib/server/log';
import { messageOf } from '$lib/server/errors';

/**
 * Whether the request carries the monitoring token (`HEALTH_TOKEN`, sent as `Authorization: Bearer …`).
 * Without a configured token nobody gets the details: socket counts, uptime and database errors
 * tell an attacker what is inside.
 */
function isMonitor(request: Request): boolean {
	const expected = process.env.HEALTH_TOKEN;
	if (!expected) return false;
	const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
	if (!match) return false;
	const given = Buffer.from(match[1]);
	const wanted = Buffer.from(expected);
	return given.length === wanted.length && timingSafeEqual(given, wanted);
}

const noStore = { 'cache-control': 'no-store' };

/** For load balancers (ok or not) and monitoring (the details, with the token). */
export const GET: RequestHandler = async ({ request }) => {
	const started = performance.now();
	const detailed = isMonitor(request);
	try {
		const { db, io, startedAt } = await portal();
		await sql`select 1`.execute(db);
		if (!detailed) return json({ status: 'ok' }, { headers: noStore });
		return json(
			{
				status: 'ok',
				database: { status: 'ok', latencyMs: Math.round(performance.now() - started) },
				live: { status: io ? 'ok' : 'off', sockets: io?.engine.clientsCount ?? 0 },
				uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000)
			},
			{ headers: noStore }
		);
	} catch (error) {
		log.error({ err: messageOf(error) }, 'health check failed');
		if (!detailed) return json({ status: 'unavailable' }, { status: 503, headers: noStore });
		return json(
			{ status: 'unavailable', database: { status: 'error', message: messageOf(error) } },
			{ status: 503, headers: noStore }
		);
	}
};
