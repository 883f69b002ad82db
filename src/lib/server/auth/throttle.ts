import { sql } from 'kysely';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Database } from '../db';

/**
 * Throttles, not lock-outs (NCSC, OWASP): a few attempts go straight through, then each further
 * attempt must wait twice as long as the last, up to a ceiling; a quiet spell starts again.
 */
export interface ThrottleRule {
	/** Attempts that go through with no wait. */
	free: number;
	/** The wait after the free attempts are used; it doubles with each further attempt. */
	firstDelaySeconds: number;
	maxDelaySeconds: number;
	/** This long with no attempt and the count starts again. */
	quietSeconds: number;
}

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Keys are hashed so the throttle table holds no email or network addresses. */
export function throttleKey(kind: string, value: string): string {
	return `${kind}:${encodeHexLowerCase(sha256(new TextEncoder().encode(value.trim().toLowerCase())))}`;
}

/** The wait after the `attempts`-th attempt, in SQL (attempts is an integer expression). */
function delayAfter(attempts: ReturnType<typeof sql>, rule: ThrottleRule) {
	return sql`make_interval(secs => case when ${attempts} < ${rule.free} then 0
		else least(${rule.firstDelaySeconds}::float8 * power(2, least(${attempts} - ${rule.free}, 40)), ${rule.maxDelaySeconds}::float8) end)`;
}

/**
 * Counts one attempt BEFORE it is checked, in one statement that takes the key's row lock, so
 * parallel requests queue on the row and no more than the rule allows ever reach the check.
 * A refused attempt is not counted, so hammering a throttled key does not lengthen the wait.
 */
export async function reserveAttempt(db: Database, key: string, rule: ThrottleRule): Promise<Reservation> {
	// clock_timestamp(), not now(): now() is when the transaction began, which for a request that
	// queued on the row lock is earlier than the attempt it queued behind.
	const at = sql`clock_timestamp()`;
	const quiet = sql`make_interval(secs => ${rule.quietSeconds})`;
	const isQuiet = sql`signin_throttle.last_attempt_at <= ${at} - ${quiet}`;
	const newAttempts = sql`(case when ${isQuiet} then 1 else signin_throttle.attempts + 1 end)`;
	const reserved = await sql<{ attempts: number }>`
		insert into signin_throttle (key, attempts, last_attempt_at, next_allowed_at)
		values (${key}, 1, ${at}, ${at} + ${delayAfter(sql`1`, rule)})
		on conflict (key) do update set
			attempts = ${newAttempts},
			last_attempt_at = ${at},
			next_allowed_at = ${at} + ${delayAfter(newAttempts, rule)}
		where ${isQuiet} or signin_throttle.attempts < ${rule.free} or signin_throttle.next_allowed_at <= ${at}
		returning attempts`.execute(db);
	if (reserved.rows.length > 0) return { ok: true };
	const row = await db.selectFrom('signin_throttle').select('next_allowed_at').where('key', '=', key).executeTakeFirst();
	const waitMs = row ? row.next_allowed_at.getTime() - Date.now() : 1000;
	return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** Gives back an attempt that turned out not to be a failure (the right password). */
export async function refundAttempt(db: Database, key: string, rule: ThrottleRule): Promise<void> {
	const remaining = sql`greatest(signin_throttle.attempts - 1, 0)`;
	await sql`update signin_throttle set attempts = ${remaining},
		next_allowed_at = signin_throttle.last_attempt_at + ${delayAfter(remaining, rule)}
		where key = ${key}`.execute(db);
}

/** Forgets a key's attempts (the owner proved who they are). */
export async function clearAttempts(db: Database, key: string): Promise<void> {
	await db.deleteFrom('signin_throttle').where('key', '=', key).execute();
}

/** "Wait 3 minutes", for a refusal that says when to try again. */
export function waitMessage(seconds: number): string {
	if (seconds < 60) return `Wait ${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `Wait ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
