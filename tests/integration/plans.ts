import { expect } from 'vitest';
import { Kysely, PostgresDialect, sql, type Compilable, type CompiledQuery } from 'kysely';
import { createPool, type Database, type DB } from '../../src/lib/server/db';

/**
 * Query-plan checks for "no list grows with the country".
 *
 * A test database is small, so the planner rightly prefers a sequential scan there; what a test can
 * prove cheaply is that an index *able to serve* the query exists. With `enable_seqscan = off` the
 * planner still picks a sequential scan of a table when no index fits the query (it only adds a
 * large cost), so a `Seq Scan` on a listed table in that plan means the query would read the whole
 * table on an England-sized data set. The real plans on the England set are measured by the bench
 * (`bench/README.md`).
 */
export interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	'Index Cond'?: string;
	Filter?: string;
	Plans?: PlanNode[];
}

export async function planOf(db: Database, query: Compilable<unknown>): Promise<PlanNode> {
	const compiled = query.compile();
	return db.connection().execute(async (conn) => {
		await sql`set enable_seqscan = off`.execute(conn);
		try {
			const explained = await conn.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({
				...compiled,
				sql: `explain (format json) ${compiled.sql}`
			});
			return explained.rows[0]['QUERY PLAN'][0].Plan;
		} finally {
			await sql`reset enable_seqscan`.execute(conn);
		}
	});
}

function* nodes(plan: PlanNode): Generator<PlanNode> {
	yield plan;
	for (const child of plan.Plans ?? []) yield* nodes(child);
}

/** The large tables a plan reads from start to end. */
export function sequentialScans(plan: PlanNode, largeTables: readonly string[]): string[] {
	return [...nodes(plan)]
		.filter((node) => node['Node Type'] === 'Seq Scan' && largeTables.includes(node['Relation Name'] ?? ''))
		.map((node) => node['Relation Name'] as string);
}

/**
 * The large tables a plan walks through a whole index, keeping the rows a filter matches: an index
 * scan with a filter and no index condition. Under a LIMIT that is fine when most rows match (the
 * walk stops after a page), but for a list of the few rows one person may see it reads the whole
 * table, as a sequential scan would; check such lists with this too.
 */
export function filteredWalks(plan: PlanNode, largeTables: readonly string[]): string[] {
	const whole = (node: PlanNode) => node['Index Cond'] === undefined;
	return [...nodes(plan)]
		.filter((node) => {
			if (!largeTables.includes(node['Relation Name'] ?? '') || node.Filter === undefined) return false;
			if (['Index Scan', 'Index Only Scan'].includes(node['Node Type'])) return whole(node);
			// The same walk as a bitmap: every entry of an index (no condition) gathered, then filtered.
			if (node['Node Type'] === 'Bitmap Heap Scan') return [...nodes(node)].some((child) => child['Node Type'] === 'Bitmap Index Scan' && whole(child));
			return false;
		})
		.map((node) => node['Relation Name'] as string);
}

/** Tables that grow with the country (hundreds of thousands of rows or more on the England set). */
export const LARGE_TABLES = [
	'setting',
	'cluster',
	'app_user',
	'setting_membership',
	'cluster_role',
	'funding_round',
	'bid',
	'bid_partner',
	'activity',
	'audit_log',
	'notification',
	'live_event',
	'mail_outbox',
	'user_session',
	'invitation',
	'form_submission'
] as const;

/**
 * Plans what a page's read really sends: `read` runs on a connection that records each statement,
 * then each is planned on `db` (see `planOf`). Gives the large tables read end to end and those
 * walked through a whole index with a filter (`filteredWalks`); `queriesOf` gives the statements themselves.
 */
export function planRecorder(db: Database, url: string, largeTables: readonly string[]) {
	let caught: CompiledQuery[] = [];
	const recording = new Kysely<DB>({
		dialect: new PostgresDialect({ pool: createPool(url, 2) }),
		log: (event) => {
			if (event.level === 'query') caught.push(event.query);
		}
	});
	/** The statements `read` sends, as sent. */
	const queriesOf = async (read: (db: Database) => Promise<unknown>): Promise<CompiledQuery[]> => {
		caught = [];
		await read(recording);
		const queries = caught;
		expect(queries.length, 'the read should run at least one query').toBeGreaterThan(0);
		return queries;
	};
	return {
		queriesOf,
		async plansOf(read: (db: Database) => Promise<unknown>): Promise<{ scans: string[]; walks: string[] }> {
			const scans: string[] = [];
			const walks: string[] = [];
			for (const query of await queriesOf(read)) {
				const plan = await planOf(db, { compile: () => query });
				scans.push(...sequentialScans(plan, largeTables));
				walks.push(...filteredWalks(plan, largeTables));
			}
			return { scans, walks };
		},
		destroy: () => recording.destroy()
	};
}
