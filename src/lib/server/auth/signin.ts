import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type pg from 'pg';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Database } from '../db';
import { decoyPasswordHash, verifyPassword } from './password';
import { createSession, generateToken, type Session } from './session';

// Limits kept in Postgres so every app instance counts the same attempts.
const PER_ACCOUNT = { points: 5, duration: 15 * 60 }; // wrong passwords for one email per 15 minutes
const PER_ADDRESS = { points: 100, duration: 15 * 60 }; // failed attempts from one network address per 15 minutes

export const SIGN_IN_FAILED = 'The email address or password is not right. Check them and try again.';
export const SIGN_IN_LIMITED = 'Too many sign-in attempts. Wait 15 minutes, then try again.';

interface Limiters {
	account: RateLimiterPostgres;
	address: RateLimiterPostgres;
}
const limiters = new WeakMap<pg.Pool, Limiters>();

function limitersFor(pool: pg.Pool): Limiters {
	let found = limiters.get(pool);
	if (!found) {
		const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limit', tableCreated: true } as const;
		found = {
			account: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_account', ...PER_ACCOUNT }),
			address: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_address', ...PER_ADDRESS })
		};
		limiters.set(pool, found);
	}
	return found;
}

// Keys are hashed so the rate-limit table holds no email addresses.
const keyOf = (value: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(value.trim().toLowerCase())));

export type SignInResult =
	| { ok: true; token: string; session: Session; userId: number }
	| { ok: false; reason: 'failed' | 'limited'; message: string };

async function isBlocked(limiter: RateLimiterPostgres, key: string): Promise<boolean> {
	const state = await limiter.get(key);
	return state !== null && state.remainingPoints <= 0;
}

async function consume(limiter: RateLimiterPostgres, key: string): Promise<void> {
	try {
		await limiter.consume(key);
	} catch (error) {
		if (!(error instanceof RateLimiterRes)) throw error;
	}
}

/**
 * Checks a password and opens a session. The message for an unknown email, a wrong password
 * and a deactivated account is the same, and all take about as long, so nobody can learn who
 * has an account here.
 */
export async function signIn(
	db: Database,
	pool: pg.Pool,
	input: { email: string; password: string; address: string }
): Promise<SignInResult> {
	const { account, address } = limitersFor(pool);
	const accountKey = keyOf(input.email);
	const addressKey = keyOf(input.address);
	if ((await isBlocked(account, accountKey)) || (await isBlocked(address, addressKey))) {
		return { ok: false, reason: 'limited', message: SIGN_IN_LIMITED };
	}

	const user = await db
		.selectFrom('app_user')
		.select(['id', 'password_hash', 'is_active'])
		.where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.trim().toLowerCase()))
		.executeTakeFirst();
	const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), input.password);
	if (!user || !user.password_hash || !user.is_active || !passwordMatches) {
		// Only failures count: a school's staff share one address and sign in every morning.
		await consume(account, accountKey);
		await consume(address, addressKey);
		return { ok: false, reason: 'failed', message: SIGN_IN_FAILED };
	}
	await account.delete(accountKey);
	const token = generateToken();
	const session = await createSession(db, token, user.id);
	return { ok: true, token, session, userId: user.id };
}
