import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Database } from '../../src/lib/server/db';

/**
 * Counts the SQL statements run through a database handle (inside its transactions too): each
 * statement the app sends passes once through a plugin's `transformResult`. BEGIN and COMMIT are
 * not counted. The counted handle is its own `Database`, so caches keyed by it start empty.
 */
export function countingStatements(db: Database): { db: Database; count: () => number; reset: () => void } {
	let statements = 0;
	const counter: KyselyPlugin = {
		transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
		transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
			statements += 1;
			return args.result;
		}
	};
	return { db: db.withPlugin(counter), count: () => statements, reset: () => (statements = 0) };
}
