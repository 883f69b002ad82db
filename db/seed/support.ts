import type { Transaction } from 'kysely';
import type { DB } from '../../src/lib/server/db';

// What every demo-seed step shares: the one transaction the whole seed runs in, and a lookup that
// names what is missing (a typo in the demo data) instead of inserting a null.

export type Trx = Transaction<DB>;

export function lookup<V>(map: Map<string, V>, key: string, what: string): V {
	const value = map.get(key);
	if (value === undefined) throw new Error(`demo county: no ${what} ${key}`);
	return value;
}
