import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, ensureBuild, freePort, isAlive, postgresProcessesFor, startApp, stopApp, type AppProcess } from './app-process';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { ensureDatabase } from '../../src/lib/server/db';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { createPool, kyselyFor } from '../../src/lib/server/db';
import { TRPC_PATH } from '../../src/lib/trpc';

// The database going away under a running app (killed, restarted for patching, failing over):
// requests meanwhile fail fast with a 503 and a plain message, and once it is back the app
// carries on by itself: pages, the API and socket.io's LISTEN connection all recover.

const scratch = path.join(ROOT, '.data', `restart-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
const apps: AppProcess[] = [];
const servers: EmbeddedServer[] = [];

afterAll(async () => {
	for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
	for (const server of servers) await server.stop().catch(() => undefined);
	for (const folder of ['app', 'external']) {
		for (const pid of postgresProcessesFor(path.join(scratch, folder, 'postgres'))) process.kill(pid, 'SIGKILL');
	}
	rmSync(scratch, { recursive: true, force: true });
});

/** One query on a fresh connection (a pool would hide what we are testing). */
async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	client.on('error', () => undefined);
	await client.connect();
	try {
		return (await client.query(text, values)).rows as T[];
	} finally {
		await client.end();
	}
}

/** A session for the demo officer, written straight into the app's database. */
async function officerSession(url: string): Promise<string> {
	const pool = createPool(url, 1);
	const db = kyselyFor(pool);
	try {
		const officer = await db.selectFrom('app_user').select('id').where('email', '=', 'officer@portal.example').executeTakeFirstOrThrow();
		const token = generateToken();
		await createSession(db, token, officer.id);
		return token;
	} finally {
		await db.destroy();
	}
}

/** Status of the home page and of a tRPC query, each answered within 10 s (never a hang). */
async function ask(app: AppProcess, token: string) {
	const headers = { cookie: `${SESSION_COOKIE}=${token}` };
	const signal = () => AbortSignal.timeout(10_000);
	const home = await fetch(`${app.url}/`, { headers, signal: signal(), redirect: 'manual' });
	const api = await fetch(`${app.url}${TRPC_PATH}/notifications.unreadCount`, { headers, signal: signal() });
	return { home: home.status, homeText: await home.text(), api: api.status, apiBody: await api.text() };
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await condition().catch(() => false)) return true;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return false;
}

const listening = async (url: string) =>
	(await query<{ n: number }>(url, "select count(*)::int as n from pg_stat_activity where query ilike 'LISTEN%'"))[0].n > 0;

/** While the database is away, every answer is a prompt 503 with a plain message, or (already back) a 200. */
function expectCleanFailure(answer: Awaited<ReturnType<typeof ask>>, output: string) {
	expect([200, 503], output).toContain(answer.home);
	expect([200, 503], output).toContain(answer.api);
	if (answer.api === 503) {
		expect(answer.apiBody).toContain('cannot reach its database');
		expect(answer.apiBody).not.toMatch(/ECONNREFUSED|terminat|127\.0\.0\.1/i);
	}
	if (answer.home === 503) expect(answer.homeText).toContain('cannot reach its database');
}

describe('the app when its database restarts', () => {
	it('with the embedded server: restarts a postgres killed with SIGKILL and carries on', async () => {
		ensureBuild();
		const dataDir = path.join(scratch, 'app');
		const pgPort = await freePort();
		const app = await startApp(
			{ PORT: String(await freePort()), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), SEED_DEMO: '1' },
			120_000
		);
		apps.push(app);
		const url = `postgres://postgres:portal-local@127.0.0.1:${pgPort}/portal`;
		const token = await officerSession(url);
		expect((await ask(app, token)).home).toBe(200);
		expect(await until(() => listening(url), 10_000)).toBe(true);

		for (let round = 1; round <= 2; round++) {
			const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
			const postmaster = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
			process.kill(postmaster, 'SIGKILL');
			expect(await until(async () => !isAlive(postmaster), 5000)).toBe(true);

			expectCleanFailure(await ask(app, token), app.output());

			// Supervised: a new postmaster on the same folder, and the app healthy again by itself.
			expect(await until(async () => (await fetch(`${app.url}/healthz`)).status === 200, 60_000), app.output()).toBe(true);
			const answer = await ask(app, token);
			expect(answer.home, app.output()).toBe(200);
			expect(answer.api, answer.apiBody).toBe(200);
			expect(Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10)).not.toBe(postmaster);
			expect(await until(() => listening(url), 15_000), 'socket.io LISTENs again').toBe(true);
		}
		expect(app.output()).toContain('embedded PostgreSQL restarted');

		const { result } = await stopApp(app, 10_000);
		expect(result?.code, app.output()).toBe(0);
		expect(await until(async () => postgresProcessesFor(path.join(dataDir, 'postgres')).length === 0, 5000)).toBe(true);
	}, 300_000);

	it('with DATABASE_URL: reconnects after the server is restarted, without leaking pool connections', async () => {
		ensureBuild();
		const dataDir = path.join(scratch, 'external', 'postgres');
		const pgPort = await freePort();
		let server = await startEmbeddedPostgres(dataDir, pgPort);
		servers.push(server);
		await ensureDatabase(server.urlFor('postgres'), 'portal');
		const url = server.urlFor('portal');
		// A pool of 3: a dead connection kept after each restart (socket.io's LISTEN client) would use it up.
		const app = await startApp({ PORT: String(await freePort()), DATABASE_URL: url, SEED_DEMO: '1', DB_POOL_SIZE: '3' }, 120_000);
		apps.push(app);
		const token = await officerSession(url);
		expect((await ask(app, token)).home).toBe(200);
		expect(await until(() => listening(url), 10_000)).toBe(true);

		for (let round = 1; round <= 4; round++) {
			await server.stop(); // a restart for patching: clients are told 57P01 and disconnected
			expectCleanFailure(await ask(app, token), app.output());
			const down = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
			expect(down.status).toBe(503);

			server = await startEmbeddedPostgres(dataDir, pgPort);
			servers.push(server);
			expect(await until(async () => (await fetch(`${app.url}/healthz`)).status === 200, 30_000), app.output()).toBe(true);
			const answer = await ask(app, token);
			expect(answer.home, app.output()).toBe(200);
			expect(answer.api, answer.apiBody).toBe(200);
			expect(await until(() => listening(url), 15_000), 'socket.io LISTENs again').toBe(true);
		}
		await stopApp(app, 10_000);
	}, 300_000);
});
