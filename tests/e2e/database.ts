import pg from 'pg';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from '../../src/lib/server/db/embedded-login';

/**
 * Runs one statement straight in the end-to-end server's database and gives how many rows it
 * touched. Only for letting time pass (a meeting that has taken place): the server's clock cannot
 * be moved, and the portal rightly refuses what may only happen after a date it would not accept
 * in the past. Everything a person does goes through the pages.
 */
export async function inE2eDatabase(statement: string, values: unknown[]): Promise<number> {
	const client = new pg.Client({
		host: '127.0.0.1',
		port: Number(process.env.E2E_PG_PORT ?? 25460),
		user: EMBEDDED_USER,
		password: EMBEDDED_PASSWORD,
		database: 'portal'
	});
	await client.connect();
	try {
		return (await client.query(statement, values)).rowCount ?? 0;
	} finally {
		await client.end();
	}
}
