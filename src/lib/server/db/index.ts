import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import type { DB } from './schema';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { log } from '../log';

export type Database = Kysely<DB>;
export type { DB };

// int8 (bigint) columns hold money in pence and counts; both stay far below 2^53, so plain numbers are safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Calendar dates (milestone due dates) stay 'YYYY-MM-DD' strings: a JS Date would shift them by time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DatabaseHandle {
	db: Database;
	pool: pg.Pool;
	connectionString: string;
	embedded?: EmbeddedServer;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	/** A PostgreSQL URL; when absent an embedded server is started. */
	url?: string;
	/** Where the embedded server keeps its data. */
	dataDir?: string;
	port?: number;
	database?: string;
	poolSize?: number;
}

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
	return {
		url: env.DATABASE_URL || undefined,
		dataDir: path.join(env.DATA_DIR ?? '.data', 'postgres'),
		port: Number(env.EMBEDDED_PG_PORT ?? 25329),
		database: env.EMBEDDED_PG_DATABASE ?? 'portal',
		poolSize: Number(env.DB_POOL_SIZE ?? 20)
	};
}

export function createPool(connectionString: string, max = 20): pg.Pool {
	const pool = new pg.Pool({
		connectionString,
		max,
		// While the server is restarting or failing over, a request fails within seconds (503)
		// instead of waiting on a connection that will not come.
		connectionTimeoutMillis: 5_000,
		// Notices a server that vanished without closing the connection (a managed database failing over).
		keepAlive: true
	});
	// Without listeners, a server shutdown (57P01) would crash the process: on an idle client the
	// pool reports it; a client held open (socket.io's LISTEN connection) reports it itself.
	pool.on('error', (error) => log.warn({ err: error.message }, 'idle database client error'));
	pool.on('connect', (client) => {
		client.on('error', (error) => log.warn({ err: error.message }, 'database connection error'));
	});
	return pool;
}

export function kyselyFor(pool: pg.Pool): Database {
	return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Creates `name` on the server unless it exists already. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	client.on('error', () => undefined);
	await client.connect();
	try {
		const found = await client.query('select 1 from pg_database where datname = $1', [name]);
		if (found.rowCount === 0) {
			const from = template ? ` template ${client.escapeIdentifier(template)}` : '';
			await client.query(`create database ${client.escapeIdentifier(name)}${from}`);
		}
	} finally {
		await client.end();
	}
}

/** One code path for both cases: only where the URL comes from differs. */
export async function openDatabase(options: DatabaseOptions = databaseOptionsFromEnv()): Promise<DatabaseHandle> {
	let embedded: EmbeddedServer | undefined;
	let connectionString = options.url;
	if (!connectionString) {
		embedded = await startEmbeddedPostgres(options.dataDir ?? '.data/postgres', options.port ?? 25329);
		const database = options.database ?? 'portal';
		await ensureDatabase(embedded.urlFor('postgres'), database);
		connectionString = embedded.urlFor(database);
	}
	const pool = createPool(connectionString, options.poolSize);
	const db = kyselyFor(pool);
	await sql`select 1`.execute(db);
	let closed = false;
	return {
		db,
		pool,
		connectionString,
		embedded,
		async close() {
			if (closed) return;
			closed = true;
			await db.destroy().catch(() => undefined);
			await embedded?.stop();
		}
	};
}
