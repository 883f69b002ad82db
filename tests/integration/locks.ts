import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/lib/server/db';

// Races in tests: one transaction holds a lock while another command is started, and the test
// waits until that command is seen waiting for the holder before letting the holder commit.
// Counting every ungranted lock on the server would also count other test files' waits (they
// share the server), so the wait is asked of the holder's own process.

/** The server process of the transaction this runs in. */
export async function backendPid(trx: Kysely<DB>): Promise<number> {
	return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0].pid;
}

/** How many sessions are waiting for a lock held by the process `pid`. */
export async function waitingFor(db: Kysely<DB>, pid: number): Promise<number> {
	return (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`.execute(db)).rows[0].n;
}
