// A steady trickle of commits to one workspace: the officer renames the cluster every `everyMs`,
// on a timer (open loop: the next write does not wait for the last one, as real people do not).
// Each write reads the cluster's current name and version straight from the database first (not
// through the app, and not timed), so writes rarely clash; a clash (409) is counted, not retried.
import pg from 'pg';
import { mutate } from './trpc.js';

/**
 * @param {{ databaseUrl: string, origin: string, token: string, clusterId: number, names: [string, string], everyMs: number }} options
 */
export async function startWriter({ databaseUrl, origin, token, clusterId, names, everyMs }) {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	const counts = { sent: 0, committed: 0, clashed: 0, failed: 0 };
	/** @type {Promise<unknown>[]} */
	const inFlight = [];
	const write = async () => {
		counts.sent++;
		try {
			const { rows } = await client.query('select name, version from cluster where id = $1', [clusterId]);
			const name = rows[0].name === names[0] ? names[1] : names[0];
			await mutate(origin, token, 'clusters.rename', {
				clusterId,
				name,
				version: rows[0].version,
				reason: 'Benchmark: a steady stream of changes to this workspace.'
			});
			counts.committed++;
		} catch (error) {
			if (/** @type {{ status?: number }} */ (error).status === 409) counts.clashed++;
			else counts.failed++;
		}
	};
	const started = performance.now();
	const timer = setInterval(() => {
		const pending = write();
		inFlight.push(pending);
		void pending.finally(() => inFlight.splice(inFlight.indexOf(pending), 1));
	}, everyMs);
	return {
		/** Stops writing; resolves with what was written, once the last write is answered. */
		async stop() {
			clearInterval(timer);
			const seconds = (performance.now() - started) / 1000;
			await Promise.allSettled([...inFlight]);
			// Leave the workspace with the name it had.
			const { rows } = await client.query('select name, version from cluster where id = $1', [clusterId]);
			if (rows[0].name !== names[0]) {
				await mutate(origin, token, 'clusters.rename', { clusterId, name: names[0], version: rows[0].version, reason: 'Benchmark: back to its name.' });
			}
			await client.end();
			return { ...counts, perSecond: Math.round((counts.committed / seconds) * 10) / 10 };
		}
	};
}
