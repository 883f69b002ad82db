// A steady trickle of commits to one workspace: every `everyMs`, on a timer (open loop: the next
// write does not wait for the last one, as real people do not), a SENCO of one of its settings
// starts a bid (`bids.create`). Each is one transaction that adds to the workspace's activity feed
// and announces `bid.changed` to its room, and it carries no version, so writes never clash and the
// rate is what was asked for. They go into a round of their own, opened by the officer, so the
// rounds other benchmarks look at do not fill up.
import { bidCast } from './bids.js';
import { mutate } from './trpc.js';

const DAY_MS = 86_400_000;
const isoDay = (/** @type {number} */ days) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
let writerRound = 0;

/**
 * @param {import('./environment.js').Environment} env
 * @param {{ clusterId: number, everyMs: number }} options
 */
export async function startWriter(env, { clusterId, everyMs }) {
	const cast = await bidCast(env, clusterId);
	const officer = cast.token(cast.people.officer);
	writerRound ||= /** @type {number} */ (
		await mutate(cast.origin, officer, 'bids.openRound', {
			clusterId,
			name: 'Benchmark writer round',
			potPence: 500_000_000,
			maxRequestPence: 2_000_000,
			opensOn: isoDay(0),
			closesOn: isoDay(60),
			guidance: 'Opened by the read benchmark: bids started here are a steady stream of writes.',
			endorsementRule: 'count',
			endorsementValue: 1
		})
	);
	const counts = { sent: 0, committed: 0, failed: 0 };
	/** @type {Set<Promise<void>>} */
	const inFlight = new Set();
	const write = async () => {
		const n = ++counts.sent;
		try {
			await mutate(cast.origin, cast.token(cast.people.leadSenco), 'bids.create', {
				roundId: writerRound,
				leadSettingId: cast.settings.lead,
				title: `Benchmark write ${n}`
			});
			counts.committed++;
		} catch {
			counts.failed++;
		}
	};
	const started = performance.now();
	const timer = setInterval(() => {
		const pending = write();
		inFlight.add(pending);
		void pending.finally(() => inFlight.delete(pending));
	}, everyMs);
	return {
		/** Stops writing; resolves with what was written, once the last write is answered. */
		async stop() {
			clearInterval(timer);
			const seconds = (performance.now() - started) / 1000;
			await Promise.allSettled([...inFlight]);
			return { ...counts, perSecond: Math.round((counts.committed / seconds) * 10) / 10 };
		}
	};
}
