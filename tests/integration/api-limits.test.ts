import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { ensureBuild, freePort, startApp, type AppProcess } from './app-process';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { TRPC_PATH } from '../../src/lib/trpc';

// Limits and leaks, through the production build on a real PostgreSQL: the CSP names only this
// origin, the API counts body bytes as they arrive and caps batches, internal errors answer with a
// reference (also on the log line) and never PostgreSQL's words, and /healthz says only ok or not
// unless the monitoring token is sent.

const HEALTH_TOKEN = 'monitoring-token-for-tests-0123456789';
let test: TestDatabase;
let app: AppProcess;
let token = '';
let clusterId = 0;

beforeAll(async () => {
	ensureBuild();
	test = await freshDatabase();
	const { id } = await test.db.insertInto('app_user').values({ email: 'olu@county.example', name: 'Olu Officer', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow();
	clusterId = (await test.db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	token = generateToken();
	await createSession(test.db, token, id);
	const port = await freePort();
	app = await startApp({ PORT: String(port), DATABASE_URL: test.url, HEALTH_TOKEN, LOG_LEVEL: 'info', ORIGIN: `http://127.0.0.1:${port}` });
}, 180_000);

afterAll(async () => {
	if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
	await test?.close();
});

const cookie = () => `${SESSION_COOKIE}=${token}`;

/** A POST whose body is sent in chunks with no content-length, as a streaming client may. */
function chunkedPost(path: string, chunks: string[]): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const request = http.request(`${app.url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', cookie: cookie(), origin: app.url }
		});
		request.on('response', (response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
		});
		// The server may answer (and close) before every chunk is sent.
		request.on('error', reject);
		for (const chunk of chunks) request.write(chunk);
		request.end();
	});
}

describe('content security policy', () => {
	it('lets pages connect only to their own origin, WebSockets included', async () => {
		const response = await fetch(`${app.url}/signin`);
		const connect = /connect-src ([^;]*)/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
		expect(connect?.split(' ').sort()).toEqual(["'self'", app.url.replace('http:', 'ws:')].sort());
	});
});

describe('API body limit', () => {
	it('refuses a chunked body over the limit with 413, though it has no content-length', async () => {
		const text = 'x'.repeat(8 * 1024);
		const chunks = ['{"clusterId":1,"name":"', ...Array.from({ length: 10 }, () => text), '","reason":""}'];
		const answer = await chunkedPost(`${TRPC_PATH}/clusters.createLocality`, chunks);
		expect(answer.status).toBe(413);
		expect(answer.body).toContain('too large');
	});

	it('takes a chunked body under the limit as usual', async () => {
		const answer = await chunkedPost(`${TRPC_PATH}/clusters.createLocality`, ['{"districtId":2000000000,', '"name":"Bicester North","reason":""}']);
		// Read in full and checked: the district does not exist.
		expect(answer.status, answer.body).toBe(400);
		expect(answer.body).toContain('That district could not be found');
	});
});

describe('API batches', () => {
	const batch = (size: number) => {
		const paths = Array.from({ length: size }, () => 'notifications.unreadCount').join(',');
		return fetch(`${app.url}${TRPC_PATH}/${paths}?batch=1&input=${encodeURIComponent('{}')}`, { headers: { cookie: cookie() } });
	};

	it('answers a batch of up to 10 procedures', async () => {
		const response = await batch(10);
		expect(response.status).toBe(200);
		expect(((await response.json()) as unknown[]).length).toBe(10);
	});

	it('refuses a larger batch with a 400 that says why, running none of it', async () => {
		const response = await batch(11);
		expect(response.status).toBe(400);
		expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/at most 10/);
		const mutations = Array.from({ length: 400 }, () => 'notifications.markAllRead').join(',');
		const many = await fetch(`${app.url}${TRPC_PATH}/${mutations}?batch=1`, {
			method: 'POST',
			headers: { cookie: cookie(), 'content-type': 'application/json', origin: app.url },
			body: '{}'
		});
		expect(many.status).toBe(400);
	});
});

describe('internal errors', () => {
	it('answer with a generic message and a reference that is on the log line, never PostgreSQL’s message', async () => {
		// A genuine PostgreSQL error under a real request: the table the workspace's feed reads is gone.
		await sql`alter table activity rename to activity_away`.execute(test.db);
		try {
			const input = encodeURIComponent(JSON.stringify({ clusterId }));
			const api = await fetch(`${app.url}${TRPC_PATH}/workspace.activity?input=${input}`, { headers: { cookie: cookie() } });
			const apiText = await api.text();
			expect(api.status).toBe(500);
			expect(apiText).not.toMatch(/relation|activity_away|does not exist|select|stack/i);
			const apiBody = JSON.parse(apiText) as { error: { message: string; data: { reference: string } } };
			expect(apiBody.error.message).toMatch(/^Sorry, there is a problem with the portal/);
			const apiReference = apiBody.error.data.reference;
			expect(apiReference).toMatch(/^[0-9a-f-]{36}$/);
			expect(apiBody.error.message).toContain(apiReference);

			const page = await fetch(`${app.url}/clusters/${clusterId}`, { headers: { cookie: cookie() } });
			const html = await page.text();
			expect(page.status).toBe(500);
			expect(html).not.toMatch(/relation "activity"|does not exist/);
			const pageReference = /quote reference ([0-9a-f-]{36})/.exec(html)?.[1];
			expect(pageReference).toBeDefined();

			// Support finds each by its reference, with the detail that was kept from the person.
			await expect.poll(() => app.output().split('\n').find((line) => line.includes(apiReference)) ?? '').toMatch(/does not exist/);
			await expect.poll(() => app.output().split('\n').find((line) => line.includes(pageReference!)) ?? '').toMatch(/does not exist/);
		} finally {
			await sql`alter table activity_away rename to activity`.execute(test.db);
		}
	});
});

describe('/healthz', () => {
	const health = (authorization?: string) =>
		fetch(`${app.url}/healthz`, { headers: authorization ? { authorization } : {} }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

	it('says only ok to the public, and the details to the monitoring token', async () => {
		expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
		expect(await health(`Bearer ${HEALTH_TOKEN}x`)).toEqual({ status: 200, body: { status: 'ok' } });
		expect(await health(HEALTH_TOKEN)).toEqual({ status: 200, body: { status: 'ok' } });
		const monitored = await health(`Bearer ${HEALTH_TOKEN}`);
		expect(monitored.status).toBe(200);
		expect(monitored.body).toMatchObject({ status: 'ok', database: { status: 'ok' }, live: { status: 'ok', sockets: 0 }, uptimeSeconds: expect.any(Number) });
	});

	it('says only "unavailable" to the public when the database is not answering', async () => {
		const name = new URL(test.url).pathname.slice(1);
		const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
		admin.on('error', () => undefined);
		await admin.connect();
		try {
			await admin.query(`alter database "${name}" with allow_connections false`);
			await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
			const down = await health();
			expect(down).toEqual({ status: 503, body: { status: 'unavailable' } });
			const monitored = await health(`Bearer ${HEALTH_TOKEN}`);
			expect(monitored.status).toBe(503);
			expect(monitored.body).toMatchObject({ status: 'unavailable', database: { status: 'error', message: expect.any(String) } });
		} finally {
			await admin.query(`alter database "${name}" with allow_connections true`);
			await admin.end();
		}
	});
});
