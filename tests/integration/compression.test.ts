import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { io as connectClient } from 'socket.io-client';
import { freshDatabase, type TestDatabase } from './db';
import { ensureBuild, freePort, ROOT, startApp, type AppProcess } from './app-process';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { TRPC_PATH } from '../../src/lib/trpc';

// Smaller responses from the production server (issue 10 item 5): pages, __data.json, tRPC
// batches and the CSV export are compressed when, and only when, the browser asks; static files
// keep their precompressed copies and say how long to cache them; socket.io still connects.

let test: TestDatabase;
let app: AppProcess;
let token = '';
let banburyId = 0;
let roundId = 0;
let bidId = 0;

beforeAll(async () => {
	ensureBuild();
	test = await freshDatabase();
	const port = await freePort();
	app = await startApp({ PORT: String(port), DATABASE_URL: test.url, SEED_DEMO: '1', ORIGIN: `http://127.0.0.1:${port}` }, 120_000);
	const officer = await test.db.selectFrom('app_user').select('id').where('email', '=', 'officer@portal.example').executeTakeFirstOrThrow();
	token = generateToken();
	await createSession(test.db, token, officer.id);
	banburyId = (await test.db.selectFrom('cluster').select('id').where('name', '=', 'Banbury').executeTakeFirstOrThrow()).id;
	roundId = (await test.db.selectFrom('funding_round').select('id').where('cluster_id', '=', banburyId).executeTakeFirstOrThrow()).id;
	const lead = await test.db.selectFrom('setting').select('id').where('cluster_id', '=', banburyId).orderBy('id').executeTakeFirstOrThrow();
	bidId = (
		await test.db
			.insertInto('bid')
			.values({ round_id: roundId, cluster_id: banburyId, lead_setting_id: lead.id, title: 'Shared speech and language support', created_by: officer.id })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
}, 240_000);

afterAll(async () => {
	if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
	await test?.close();
});

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The bytes as sent on the wire. */
	raw: Buffer;
	/** The body after undoing any content-encoding. */
	text: string;
}

/** A GET with exactly the headers given (fetch would add its own Accept-Encoding and decode). */
function get(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = http.get(`${app.url}${pathname}`, { headers: { cookie: `${SESSION_COOKIE}=${token}`, ...headers } }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const raw = Buffer.concat(chunks);
				const encoding = response.headers['content-encoding'];
				const decoded = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw;
				resolve({ status: response.statusCode ?? 0, headers: response.headers, raw, text: decoded.toString('utf8') });
			});
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}

const batchPath = () =>
	`${TRPC_PATH}/workspace.activity,bids.rounds?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { clusterId: banburyId }, 1: { clusterId: banburyId } }))}`;

const responses = () => [
	{ name: 'the Banbury workspace page', path: `/clusters/${banburyId}`, expect: 'Banbury', type: 'text/html' },
	{ name: "the workspace's __data.json", path: `/clusters/${banburyId}/__data.json`, expect: 'Banbury', type: 'application/json' },
	{ name: 'a tRPC batch', path: batchPath(), expect: 'Banbury pooled fund', type: 'application/json' },
	{ name: 'the bid page', path: `/bids/${bidId}`, expect: 'Shared speech and language support', type: 'text/html' },
	{ name: "the round's CSV export", path: `/rounds/${roundId}/export.csv?drafts=include`, expect: 'Shared speech and language support', type: 'text/csv' }
];

describe('compressed responses', () => {
	it('sends each page, __data.json, tRPC batch and CSV gzipped or brotli-compressed when asked, and plain when not', async () => {
		const sizes: string[] = [];
		for (const response of responses()) {
			const plain = await get(response.path);
			const gzip = await get(response.path, { 'accept-encoding': 'gzip' });
			const brotli = await get(response.path, { 'accept-encoding': 'br' });
			const either = await get(response.path, { 'accept-encoding': 'gzip, deflate, br' });
			for (const answer of [plain, gzip, brotli, either]) {
				expect(answer.status, `${response.name}: ${answer.text.slice(0, 300)}`).toBe(200);
				expect(answer.headers['content-type'], response.name).toContain(response.type);
				expect(answer.text, response.name).toContain(response.expect);
			}
			expect(plain.headers['content-encoding'], response.name).toBeUndefined();
			expect(gzip.headers['content-encoding'], response.name).toBe('gzip');
			expect(brotli.headers['content-encoding'], response.name).toBe('br');
			expect(either.headers['content-encoding'], response.name).toBe('br');
			expect(gzip.headers.vary?.toLowerCase(), response.name).toContain('accept-encoding');
			expect(gzip.raw.length, response.name).toBeLessThan(plain.raw.length);
			// JSON goes out compressed whole, in one call: its length is known before it is sent.
			if (response.type === 'application/json') for (const answer of [gzip, brotli]) expect(answer.headers['content-length'], response.name).toBe(String(answer.raw.length));
			sizes.push(`${response.name}: ${plain.raw.length} B plain, ${gzip.raw.length} B gzip, ${brotli.raw.length} B br`);
		}
		console.log(`Response sizes (demo county):\n${sizes.join('\n')}`);
	});

	it('streams the compressed CSV (chunked, no length worked out in advance)', async () => {
		const csv = await get(`/rounds/${roundId}/export.csv?drafts=include`, { 'accept-encoding': 'gzip' });
		expect(csv.headers['content-encoding']).toBe('gzip');
		expect(csv.headers['content-length']).toBeUndefined();
		expect(csv.headers['transfer-encoding']).toBe('chunked');
		expect(csv.headers['cache-control']).toBe('private, no-store');
	});

	it('leaves a body under 1 KB that states its length uncompressed', async () => {
		const health = await get('/healthz', { 'accept-encoding': 'gzip, br' });
		expect(health.status).toBe(200);
		expect(health.raw.length).toBeLessThan(1024);
		expect(health.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
	});

	it('refuses bad input with a 4xx, compressed or not', async () => {
		const refused = await get(`${TRPC_PATH}/workspace.activity?input=${encodeURIComponent(JSON.stringify({ clusterId: 'x' }))}`, { 'accept-encoding': 'gzip' });
		expect(refused.status).toBe(400);
		expect(refused.text).toContain('clusterId');
	});
});

describe('static files', () => {
	const client = path.join(ROOT, 'build/client');
	const immutableJs = () => {
		const dir = path.join(client, '_app/immutable/entry');
		const file = readdirSync(dir).find((name) => name.endsWith('.js'));
		if (!file) throw new Error('the build has no entry chunk');
		return { url: `/_app/immutable/entry/${file}`, disk: path.join(dir, file) };
	};

	it('marks hashed assets under /_app/immutable as cacheable for a year, and serves their precompressed copy once', async () => {
		const asset = immutableJs();
		for (const [encoding, suffix] of [
			['br', '.br'],
			['gzip', '.gz'],
			['', '']
		] as const) {
			const answer = await get(asset.url, encoding ? { 'accept-encoding': encoding } : {});
			expect(answer.status).toBe(200);
			expect(answer.headers['cache-control']?.replace(/\s/g, '')).toBe('public,max-age=31536000,immutable');
			expect(answer.headers['content-encoding']).toBe(encoding || undefined);
			// Byte for byte the file the build compressed: not compressed a second time on the way out.
			expect(answer.raw.equals(readFileSync(asset.disk + suffix))).toBe(true);
		}
	});

	it('gives other static files a short max-age, and version.json none', async () => {
		const favicon = await get('/favicon.svg', { 'accept-encoding': 'gzip' });
		expect(favicon.status).toBe(200);
		expect(favicon.headers['cache-control']).toBe('public, max-age=3600');
		expect(favicon.text).toContain('<svg');
		const version = await get('/_app/version.json');
		expect(version.status).toBe(200);
		expect(version.headers['cache-control']).toBe('no-cache');
		// A page is not a static file: it keeps its own (per-person) caching.
		const page = await get(`/clusters/${banburyId}`);
		expect(page.headers['cache-control']).not.toBe('public, max-age=3600');
	});
});

describe('socket.io beside compression', () => {
	it('still answers long-polling and upgrades to a WebSocket for a signed-in person', async () => {
		const polling = await get('/socket.io/?EIO=4&transport=polling', { 'accept-encoding': 'gzip, br' });
		expect(polling.status).toBe(200);
		expect(polling.text.startsWith('0{')).toBe(true);

		for (const transports of [['websocket'], ['polling']]) {
			const client = connectClient(app.url, { transports, extraHeaders: { cookie: `${SESSION_COOKIE}=${token}` }, reconnection: false, forceNew: true });
			try {
				await new Promise<void>((resolve, reject) => {
					client.once('connect', () => resolve());
					client.once('connect_error', reject);
				});
				const reply = await client.timeout(5000).emitWithAck('join', { room: `cluster:${banburyId}` });
				expect(reply.ok, JSON.stringify(reply)).toBe(true);
			} finally {
				client.close();
			}
		}
	});
});
