// The read benchmark's baseline: exactly the SQL an uncached request sends, replayed straight
// through a pool. PostgreSQL logs every statement for a moment (log_statement = all, on the bench's
// own throw-away server); the statements of one request, with their parameters and the backend
// that ran each, are read back from the log. Replaying them keeps the app's own concurrency: the
// statements one backend ran go in order on one pooled connection, backends side by side. So the
// baseline follows whatever queries the app runs today, with none of the app around them.
import { readFile, stat } from 'node:fs/promises';
import pg from 'pg';
import { sleep } from './stats.js';

// The socket.io adapter's own traffic (heartbeats, attachment clean-up) is not the request's.
export const NOT_THE_REQUEST = /pg_notify|socket_io_attachments|log_statement|pg_reload_conf|^LISTEN|^UNLISTEN/i;

/** `2026-12-01 05:50:00.123 UTC [12345] LOG:  text`; continuation lines have no prefix. */
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] ([A-Z]+):\s+(.*)$/;

/**
 * The statements in a stretch of the server's log, in order, each with its backend and parameters.
 * @param {string} text
 * @returns {{ pid: number, sql: string, params: (string | null)[] }[]}
 */
export function statementsIn(text) {
	/** @type {{ pid: number, level: string, message: string }[]} */
	const records = [];
	for (const line of text.split('\n')) {
		const match = LINE.exec(line);
		if (match) records.push({ pid: Number(match[1]), level: match[2], message: match[3] });
		else if (records.length && line !== '') records[records.length - 1].message += `\n${line}`;
	}
	/** @type {{ pid: number, sql: string, params: (string | null)[] }[]} */
	const statements = [];
	for (const record of records) {
		if (record.level === 'LOG') {
			const match = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(record.message);
			if (match) statements.push({ pid: record.pid, sql: match[1].trim(), params: [] });
		} else if (record.level === 'DETAIL' && /^parameters: /i.test(record.message)) {
			const last = statements.findLast((s) => s.pid === record.pid);
			if (!last) continue;
			for (const param of record.message.matchAll(/\$(\d+) = (?:NULL|'((?:[^']|'')*)')/g)) {
				last.params[Number(param[1]) - 1] = param[2] === undefined ? null : param[2].replaceAll("''", "'");
			}
		}
	}
	return statements.filter((s) => !NOT_THE_REQUEST.test(s.sql));
}

/**
 * Runs `run` with every statement logged; returns the statements it caused.
 * @param {{ url: string, logFile: string }} database
 * @param {() => Promise<void>} run
 */
export async function captureStatements(database, run) {
	const admin = new pg.Client({ connectionString: database.url });
	await admin.connect();
	try {
		await admin.query(`alter system set log_statement = 'all'`);
		await admin.query('select pg_reload_conf()');
		await sleep(500);
		const from = (await stat(database.logFile)).size;
		await run();
		await sleep(300); // the server's log reaches the file through a pipe
		return statementsIn((await readFile(database.logFile)).subarray(from).toString('utf8'));
	} finally {
		await admin.query('alter system reset log_statement').catch(() => undefined);
		await admin.query('select pg_reload_conf()').catch(() => undefined);
		await admin.end();
	}
}

/**
 * A replay of captured statements through a pool of the app's size.
 * @param {string} url
 * @param {{ pid: number, sql: string, params: (string | null)[] }[]} statements
 * @param {number} poolSize
 */
export function replayer(url, statements, poolSize) {
	const pool = new pg.Pool({ connectionString: url, max: poolSize });
	pool.on('error', () => undefined); // the server stopping at the end of a run
	/** @type {Map<number, { sql: string, params: (string | null)[] }[]>} */
	const byBackend = new Map();
	for (const { pid, sql, params } of statements) {
		if (!byBackend.has(pid)) byBackend.set(pid, []);
		byBackend.get(pid)?.push({ sql, params });
	}
	const groups = [...byBackend.values()];
	return {
		statements: statements.length,
		backends: groups.length,
		/** One request's worth of database work. */
		async run() {
			await Promise.all(
				groups.map(async (group) => {
					const client = await pool.connect();
					try {
						for (const { sql, params } of group) await client.query(sql, params);
					} catch (error) {
						await client.query('rollback').catch(() => undefined);
						throw error;
					} finally {
						client.release();
					}
				})
			);
		},
		close: () => pool.end()
	};
}
