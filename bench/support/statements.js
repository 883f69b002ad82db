// How many SQL statements a request sends: PostgreSQL logs every statement for a moment
// (log_statement = all, on the bench's own throw-away server) and the log is counted.
import { readFile, stat } from 'node:fs/promises';
import pg from 'pg';
import { sleep } from './stats.js';

// The socket.io adapter's own traffic (heartbeats, attachment clean-up) is not the request's.
const NOT_THE_REQUEST = /pg_notify|socket_io_attachments|log_statement|pg_reload_conf|^LISTEN|^UNLISTEN/i;

/**
 * @param {{ url: string, logFile: string }} database
 * @param {{ name: string, run: () => Promise<void> }[]} requests each run `times` times, one after another
 * @param {number} times
 * @returns {Promise<Record<string, number>>} statements per request, by name
 */
export async function statementsPerRequest(database, requests, times) {
	const admin = new pg.Client({ connectionString: database.url });
	await admin.connect();
	/** @type {Record<string, number>} */
	const counts = {};
	try {
		await admin.query(`alter system set log_statement = 'all'`);
		await admin.query('select pg_reload_conf()');
		await sleep(500);
		for (const request of requests) {
			const from = (await stat(database.logFile)).size;
			for (let i = 0; i < times; i++) await request.run();
			await sleep(300); // the server's log reaches the file through a pipe
			const text = (await readFile(database.logFile)).subarray(from).toString('utf8');
			const statements = [...text.matchAll(/LOG:\s+(?:statement|execute [^:]*): (.*)/g)]
				.map((match) => match[1].trim())
				.filter((sql) => !NOT_THE_REQUEST.test(sql));
			counts[request.name] = Math.round((statements.length / times) * 10) / 10;
		}
	} finally {
		await admin.query('alter system reset log_statement').catch(() => undefined);
		await admin.query('select pg_reload_conf()').catch(() => undefined);
		await admin.end();
	}
	return counts;
}
