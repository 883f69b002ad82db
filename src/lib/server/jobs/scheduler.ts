import { sql } from 'kysely';
import type { Database } from '../db';
import { log } from '../log';
import { messageOf } from '../errors';

/**
 * Jobs that run on a schedule once across all instances. Each job has a row in `scheduled_job`
 * saying when it is next due. An instance that finds it due locks the row (FOR UPDATE SKIP
 * LOCKED), runs the job, moves `next_run_at` on by the interval and commits: another instance
 * skips the locked row meanwhile and finds it no longer due afterwards, so each interval's run
 * happens exactly once. If the instance dies mid-run its transaction rolls back and another
 * instance runs the job. A feature adds a job by passing it to the scheduler at boot.
 */
export interface ScheduledJob {
	/** Unique across the portal: the row in `scheduled_job`. */
	name: string;
	intervalMs: number;
	/** Does the work with its own short statements or transactions, never the claim's connection. */
	run(db: Database): Promise<void>;
}

export interface SchedulerOptions {
	/** How often each instance looks for a due job; a job starts at most this late. */
	pollMs?: number;
}

export interface Scheduler {
	/** Stops looking for jobs and waits for one already running here to finish. */
	stop(): Promise<void>;
}

export function startScheduler(db: Database, jobs: ScheduledJob[], options: SchedulerOptions = {}): Scheduler {
	const names = new Set(jobs.map((job) => job.name));
	if (names.size !== jobs.length) throw new Error('Two scheduled jobs have the same name.');
	const pollMs = options.pollMs ?? Math.min(60_000, ...jobs.map((job) => job.intervalMs));
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();

	const tick = async () => {
		for (const job of jobs) {
			if (stopped) return;
			try {
				await runIfDue(db, job);
			} catch (error) {
				// The database may be unreachable for a while; the next tick tries again.
				log.warn({ job: job.name, err: messageOf(error) }, 'could not check a scheduled job');
			}
		}
	};
	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(() => {
			running = tick().finally(schedule);
		}, pollMs);
		timer.unref();
	};
	running = tick().finally(schedule);

	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}

/** Runs the job if it is due and no other instance is running it; true when it ran here. */
export async function runIfDue(db: Database, job: ScheduledJob): Promise<boolean> {
	// A job seen for the first time is due at once.
	await db.insertInto('scheduled_job').values({ name: job.name }).onConflict((oc) => oc.column('name').doNothing()).execute();
	return db.transaction().execute(async (trx) => {
		const due = await trx
			.selectFrom('scheduled_job')
			.select('name')
			.where('name', '=', job.name)
			.where('next_run_at', '<=', sql<Date>`now()`)
			.forUpdate()
			.skipLocked()
			.executeTakeFirst();
		if (!due) return false;
		const started = Date.now();
		let failure: string | null = null;
		try {
			await job.run(db);
		} catch (error) {
			// Recorded and not retried until the next interval, so a failing job cannot run on every tick.
			failure = messageOf(error).slice(0, 500);
			log.error({ job: job.name, err: failure }, 'scheduled job failed');
		}
		// now() is when this transaction began, so runs start one interval apart whatever they take.
		await trx
			.updateTable('scheduled_job')
			.set({
				next_run_at: sql<Date>`now() + make_interval(secs => ${job.intervalMs / 1000})`,
				last_started_at: sql<Date>`now()`,
				last_finished_at: sql<Date>`clock_timestamp()`,
				last_error: failure
			})
			.where('name', '=', job.name)
			.execute();
		log.info({ job: job.name, ms: Date.now() - started, failed: failure !== null }, 'scheduled job ran');
		return true;
	});
}
