import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { createPool, kyselyFor, type Database } from '../../src/lib/server/db';
import { FIXED_LIFETIMES, sweepExpiredRows } from '../../src/lib/server/retention';
import { retentionCutoffs, retentionSettingsFromEnv } from '../../src/lib/server/retention/cutoffs';
import { ACCOUNT_RULE, ADDRESS_RULE } from '../../src/lib/server/auth/signin';
import { RESET_ACCOUNT_RULE, RESET_ADDRESS_RULE } from '../../src/lib/server/auth/account';
import { MAX_CATCH_UP } from '../../src/lib/live/events';
import { startScheduler, type ScheduledJob } from '../../src/lib/server/jobs/scheduler';

let test: TestDatabase;
let userId = 0;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
	test = await freshDatabase();
	({ id: userId } = await test.db.insertInto('app_user').values({ email: 'kept@portal.example', name: 'Kept' }).returning('id').executeTakeFirstOrThrow());
});
afterAll(async () => {
	await test.close();
});

/** Counts of each table's rows by a label column, to say which rows survived. */
async function labels(db: Database, query: string): Promise<string[]> {
	const { rows } = await sql.raw<{ label: string }>(query).execute(db);
	return rows.map((row) => row.label).sort();
}

describe('the retention sweep', () => {
	it('deletes the old rows of every table that would only grow and keeps the recent ones', async () => {
		const db = test.db;
		const settings = retentionSettingsFromEnv({});
		// Live events: one room's old and recent events.
		await db.insertInto('live_room').values({ room: 'cluster:1', seq: 2 }).execute();
		await db
			.insertInto('live_event')
			.values([
				{ room: 'cluster:1', seq: 1, kind: 'old', created_at: ago(settings.liveEventMs + HOUR) },
				{ room: 'cluster:1', seq: 2, kind: 'recent', created_at: ago(settings.liveEventMs - HOUR) }
			])
			.execute();
		const mail = (subject: string, sent_at: Date | null, created_at = ago(100 * DAY)) => ({ to_address: 'x@portal.example', subject, body_text: '', transport: 'log' as const, sent_at, created_at });
		await db
			.insertInto('mail_outbox')
			.values([
				mail('sent long ago', ago(settings.sentMailMs + DAY)),
				mail('sent lately', ago(settings.sentMailMs - DAY)),
				// Never sent (failed): kept for someone to look into, however old.
				mail('never sent', null)
			])
			.execute();
		const note = (title: string, read_at: Date | null) => ({ user_id: userId, kind: 'test', title, read_at, created_at: ago(400 * DAY) });
		await db
			.insertInto('notification')
			.values([note('read long ago', ago(settings.readNotificationMs + DAY)), note('read lately', ago(settings.readNotificationMs - DAY)), note('unread', null)])
			.execute();
		await db
			.insertInto('user_session')
			.values([
				{ id: 'expired', user_id: userId, expires_at: ago(1000) },
				{ id: 'live', user_id: userId, expires_at: ahead(DAY) }
			])
			.execute();
		const quiet = FIXED_LIFETIMES.throttleQuietMs;
		await db
			.insertInto('signin_throttle')
			.values([
				{ key: 'quiet', attempts: 9, last_attempt_at: ago(quiet + 60_000), next_allowed_at: ago(quiet) },
				{ key: 'counting', attempts: 3, last_attempt_at: ago(quiet - 60_000), next_allowed_at: ago(quiet - 60_000) },
				// Quiet for long, but still made to wait: the wait must not be forgotten early.
				{ key: 'waiting', attempts: 40, last_attempt_at: ago(quiet + 60_000), next_allowed_at: ahead(60_000) }
			])
			.execute();
		const reset = (token_hash: string, expires_at: Date, used_at: Date | null = null) => ({ user_id: userId, token_hash, expires_at, used_at });
		await db
			.insertInto('password_reset')
			.values([
				reset('expired long ago', ago(FIXED_LIFETIMES.passwordResetGraceMs + DAY)),
				reset('used long ago', ago(FIXED_LIFETIMES.passwordResetGraceMs + DAY), ago(FIXED_LIFETIMES.passwordResetGraceMs + DAY)),
				// Still says "already used" to whoever clicks it again this week.
				reset('used lately', ahead(HOUR), ago(60_000))
			])
			.execute();
		const token = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
		await db
			.insertInto('form_submission')
			.values([
				{ token: token(1), form: 'old', fingerprint: '', created_at: ago(FIXED_LIFETIMES.formTokenMs + HOUR) },
				{ token: token(2), form: 'recent', fingerprint: '', created_at: ago(HOUR) }
			])
			.execute();
		await db
			.insertInto('known_device')
			.values([
				{ token_hash: 'old', user_id: userId, created_at: ago(FIXED_LIFETIMES.deviceMs + DAY) },
				{ token_hash: 'recent', user_id: userId, created_at: ago(DAY) }
			])
			.execute();
		// A family's address that was never confirmed goes once its link has expired; a confirmed one and a pending one stay.
		await db
			.insertInto('pcf_subscriber')
			.values([
				{ email: 'expired@family.example', confirm_token_hash: 'a', confirm_expires_at: ago(HOUR) },
				{ email: 'pending@family.example', confirm_token_hash: 'b', confirm_expires_at: ahead(HOUR) },
				{ email: 'confirmed@family.example', confirmed_at: ago(DAY * 400) }
			])
			.execute();
		await sql`insert into socket_io_attachments (created_at, payload) values
			(${ago(FIXED_LIFETIMES.socketAttachmentMs + 60_000)}, 'old'::bytea), (now(), 'recent'::bytea)`.execute(db);

		// A batch of one: every table needs several statements, as a large backlog would.
		const counts = await sweepExpiredRows(db, retentionCutoffs(new Date(), settings, FIXED_LIFETIMES), 1);

		expect(await labels(db, 'select kind as label from live_event')).toEqual(['recent']);
		expect(await labels(db, 'select subject as label from mail_outbox')).toEqual(['never sent', 'sent lately']);
		expect(await labels(db, 'select title as label from notification')).toEqual(['read lately', 'unread']);
		expect(await labels(db, 'select id as label from user_session')).toEqual(['live']);
		expect(await labels(db, 'select key as label from signin_throttle')).toEqual(['counting', 'waiting']);
		expect(await labels(db, 'select token_hash as label from password_reset')).toEqual(['used lately']);
		expect(await labels(db, 'select form as label from form_submission')).toEqual(['recent']);
		expect(await labels(db, 'select token_hash as label from known_device')).toEqual(['recent']);
		expect(await labels(db, "select convert_from(payload, 'UTF8') as label from socket_io_attachments")).toEqual(['recent']);
		expect(await labels(db, 'select email as label from pcf_subscriber')).toEqual(['confirmed@family.example', 'pending@family.example']);
		expect(counts).toEqual({
			live_event: 1,
			mail_outbox: 1,
			notification: 1,
			user_session: 1,
			signin_throttle: 1,
			capital_application_file: 0,
			password_reset: 2,
			form_submission: 1,
			known_device: 1,
			pcf_subscriber: 1,
			socket_io_attachments: 1
		});
		// The live room's counter stays: numbering carries on, so clients still see gaps.
		expect((await db.selectFrom('live_room').select('seq').where('room', '=', 'cluster:1').executeTakeFirstOrThrow()).seq).toBe(2);
	});

	it('keeps only the newest catch-up window of a busy room, however recent the older events are', async () => {
		const db = test.db;
		const total = MAX_CATCH_UP + 7;
		await db.insertInto('live_room').values({ room: 'bid:9', seq: total }).execute();
		await sql`insert into live_event (room, seq, kind) select 'bid:9', n, 'bid.changed' from generate_series(1, ${total}) n`.execute(db);
		// A quiet room's few events are inside its window: they stay.
		await db.insertInto('live_room').values({ room: 'bid:10', seq: 3 }).execute();
		await sql`insert into live_event (room, seq, kind) select 'bid:10', n, 'bid.changed' from generate_series(1, 3) n`.execute(db);

		await sweepExpiredRows(db, retentionCutoffs(new Date(), retentionSettingsFromEnv({}), FIXED_LIFETIMES), 4);

		const busy = await db.selectFrom('live_event').select(({ fn }) => [fn.min('seq').as('first'), fn.countAll<number>().as('kept')]).where('room', '=', 'bid:9').executeTakeFirstOrThrow();
		expect(busy).toEqual({ first: total - MAX_CATCH_UP + 1, kept: MAX_CATCH_UP });
		expect((await db.selectFrom('live_event').select('seq').where('room', '=', 'bid:10').execute()).map((e) => e.seq)).toEqual([1, 2, 3]);
	});

	it('forgets a throttle row only after the longest quiet spell of any rule', () => {
		for (const rule of [ACCOUNT_RULE, ADDRESS_RULE, RESET_ACCOUNT_RULE, RESET_ADDRESS_RULE]) {
			expect(FIXED_LIFETIMES.throttleQuietMs).toBeGreaterThanOrEqual(rule.quietSeconds * 1000);
			expect(FIXED_LIFETIMES.throttleQuietMs).toBeGreaterThanOrEqual(rule.maxDelaySeconds * 1000);
		}
	});
});

describe('the scheduler', () => {
	/** Two instances: each its own pool on the same database, as two app processes would have. */
	function twoInstances() {
		const instances = [kyselyFor(createPool(test.url, 3)), kyselyFor(createPool(test.url, 3))];
		return { instances, close: () => Promise.all(instances.map((db) => db.destroy())) };
	}
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	it('runs a job once per interval across two instances polling at the same time', async () => {
		const { instances, close } = twoInstances();
		const intervalMs = 800;
		const runs: { at: number; instance: number }[] = [];
		const job = (instance: number): ScheduledJob => ({
			name: 'count-once',
			intervalMs,
			async run() {
				runs.push({ at: Date.now(), instance });
				await sleep(50);
			}
		});
		const started = Date.now();
		const schedulers = instances.map((db, index) => startScheduler(db, [job(index)], { pollMs: 20 }));
		await sleep(2_900);
		await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
		const elapsed = Date.now() - started;
		await close();

		// Due at 0, 0.8, 1.6 and 2.4 s: four runs, never two in one interval.
		expect(runs.length).toBeGreaterThanOrEqual(3);
		expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / intervalMs) + 1);
		for (let i = 1; i < runs.length; i++) expect(runs[i].at - runs[i - 1].at).toBeGreaterThanOrEqual(intervalMs - 100);
		const row = await test.db.selectFrom('scheduled_job').selectAll().where('name', '=', 'count-once').executeTakeFirstOrThrow();
		expect(row.last_error).toBeNull();
		expect(row.next_run_at.getTime()).toBeGreaterThan(row.last_started_at!.getTime());
	});

	it('never runs a job on two instances at once, even when a run outlasts its interval', async () => {
		const { instances, close } = twoInstances();
		let running = 0;
		let most = 0;
		let runs = 0;
		const job: ScheduledJob = {
			name: 'slow',
			intervalMs: 50,
			async run() {
				running++;
				most = Math.max(most, running);
				await sleep(300);
				running--;
				runs++;
			}
		};
		const schedulers = instances.map((db) => startScheduler(db, [job], { pollMs: 10 }));
		await sleep(1_400);
		await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
		await close();
		expect(most).toBe(1);
		expect(runs).toBeGreaterThanOrEqual(2);
	});

	it('a run that fails is recorded and waits for the next interval instead of retrying on every poll', async () => {
		const { instances, close } = twoInstances();
		let attempts = 0;
		const job: ScheduledJob = {
			name: 'failing',
			intervalMs: 60_000,
			async run() {
				attempts++;
				throw new Error('disk full');
			}
		};
		const schedulers = instances.map((db) => startScheduler(db, [job], { pollMs: 10 }));
		await sleep(400);
		await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
		await close();
		expect(attempts).toBe(1);
		const row = await test.db.selectFrom('scheduled_job').select(['last_error', 'next_run_at']).where('name', '=', 'failing').executeTakeFirstOrThrow();
		expect(row.last_error).toBe('disk full');
		expect(row.next_run_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
	});

	it('when the instance running a job dies, its claim is released and another instance runs it', async () => {
		const dying = kyselyFor(createPool(test.url, 3));
		const survivor = kyselyFor(createPool(test.url, 3));
		let release: () => void = () => undefined;
		const hung = new Promise<void>((resolve) => (release = resolve));
		const ranOn: string[] = [];
		const job = (instance: string, run: () => Promise<void>): ScheduledJob => ({
			name: 'handover',
			intervalMs: 60_000,
			async run() {
				ranOn.push(instance);
				await run();
			}
		});
		const first = startScheduler(dying, [job('dying', () => hung)], { pollMs: 10 });
		await sleep(300);
		const second = startScheduler(survivor, [job('survivor', async () => undefined)], { pollMs: 10 });
		await sleep(300);
		expect(ranOn).toEqual(['dying']);
		// The process dies: its connections end and PostgreSQL rolls back the claim.
		await sql`select pg_terminate_backend(pid) from pg_stat_activity
			where datname = current_database() and pid <> pg_backend_pid() and state = 'idle in transaction'`.execute(test.db);
		await sleep(500);
		expect(ranOn).toEqual(['dying', 'survivor']);
		release();
		await Promise.all([first.stop(), second.stop()]);
		await Promise.all([dying.destroy(), survivor.destroy()]);
	});

	it('stop() waits for a run in progress and no run starts after it', async () => {
		const db = kyselyFor(createPool(test.url, 3));
		let finished = 0;
		let started = 0;
		const job: ScheduledJob = {
			name: 'stoppable',
			intervalMs: 20,
			async run() {
				started++;
				await sleep(200);
				finished++;
			}
		};
		const scheduler = startScheduler(db, [job], { pollMs: 10 });
		await sleep(100);
		await scheduler.stop();
		expect(finished).toBe(started);
		const after = started;
		await sleep(200);
		expect(started).toBe(after);
		await db.destroy();
	});
});
