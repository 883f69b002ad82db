import type { Database } from '../db';
import { decoyPasswordHash, verifyPassword } from './password';
import { createSession, generateToken, type Session } from './session';
import { deviceAccount, rememberDevice } from './device';
import { clearAttempts, refundAttempt, reserveAttempt, throttleKey, waitMessage, type ThrottleRule } from './throttle';

/**
 * Sign-in throttles, kept in PostgreSQL so every instance counts the same attempts, and reserved
 * before the password is checked. Five attempts per account go straight through, then the waits
 * grow (2 s, 4 s, 8 s ... at most 15 minutes); a hundred failures from one address, then 1 s,
 * 2 s ... A browser that has signed in to the account before is throttled on its own.
 */
export const ACCOUNT_RULE: ThrottleRule = { free: 5, firstDelaySeconds: 2, maxDelaySeconds: 15 * 60, quietSeconds: 60 * 60 };
export const ADDRESS_RULE: ThrottleRule = { free: 100, firstDelaySeconds: 1, maxDelaySeconds: 15 * 60, quietSeconds: 60 * 60 };
export const DEVICE_RULE: ThrottleRule = ACCOUNT_RULE;

export const SIGN_IN_FAILED = 'The email address or password is not right. Check them and try again.';
export const signInLimitedMessage = (seconds: number) =>
	`Too many sign-in attempts. ${waitMessage(seconds)}, then try again. A browser you have signed in with before is not held up.`;

export type SignInResult =
	| { ok: true; token: string; session: Session; userId: number; deviceToken: string }
	| { ok: false; reason: 'failed'; message: string }
	| { ok: false; reason: 'limited'; message: string; retryAfterSeconds: number }
	| { ok: false; reason: 'inactive'; message: string };

/** Said only to someone who gave the right password, so it reveals nothing to anyone else. */
async function inactiveMessage(db: Database, userId: number): Promise<string> {
	const by = await db
		.selectFrom('audit_log as a')
		.innerJoin('app_user as officer', 'officer.id', 'a.actor_id')
		.select(['officer.name', 'officer.email'])
		.where('a.action', '=', 'person.deactivated')
		.where('a.subject_type', '=', 'person')
		.where('a.subject_id', '=', userId)
		.orderBy('a.id', 'desc')
		.executeTakeFirst();
	const contact = by ? `${by.name} (${by.email}), the council officer who deactivated it, or another council officer` : 'a council officer';
	return `Your account is not active, so you cannot sign in. If you still need the portal, ask ${contact} to reactivate it.`;
}

/**
 * Checks a password and opens a session. An unknown email and a wrong password get the same
 * message and take about as long, so nobody can learn who has an account here.
 */
export async function signIn(
	db: Database,
	input: { email: string; password: string; address: string; deviceToken?: string | null }
): Promise<SignInResult> {
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'password_hash', 'is_active'])
		.where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.trim().toLowerCase()))
		.executeTakeFirst();
	const knownDevice = user !== undefined && (await deviceAccount(db, input.deviceToken)) === user.id;
	// A known browser counts only against itself; others against the account and the address.
	const keys: [string, ThrottleRule][] = knownDevice
		? [[throttleKey('device', input.deviceToken ?? ''), DEVICE_RULE]]
		: [
				[throttleKey('account', input.email), ACCOUNT_RULE],
				[throttleKey('address', input.address), ADDRESS_RULE]
			];
	// Both keys or neither: a refusal by the address limit does not use up the account's attempts.
	const refusal = await db
		.transaction()
		.execute(async (trx) => {
			for (const [key, rule] of keys) {
				const reservation = await reserveAttempt(trx, key, rule);
				if (!reservation.ok) throw new Refused(reservation); // rolls back the other key's reservation
			}
			return null;
		})
		.catch((error: unknown) => {
		if (error instanceof Refused) return error.reservation;
		throw error;
	});
	if (refusal) return { ok: false, reason: 'limited', message: signInLimitedMessage(refusal.retryAfterSeconds), retryAfterSeconds: refusal.retryAfterSeconds };

	const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), input.password);
	if (!user || !user.password_hash || !passwordMatches) return { ok: false, reason: 'failed', message: SIGN_IN_FAILED };

	// The right password is not a failure: give the attempts back (a school's staff share one
	// address and sign in every morning) and forget the account's earlier failures.
	for (const [key, rule] of keys) await refundAttempt(db, key, rule);
	if (!knownDevice) await clearAttempts(db, keys[0][0]);
	if (!user.is_active) return { ok: false, reason: 'inactive', message: await inactiveMessage(db, user.id) };

	const token = generateToken();
	const session = await createSession(db, token, user.id);
	const deviceToken = await rememberDevice(db, user.id, input.deviceToken);
	return { ok: true, token, session, userId: user.id, deviceToken };
}

class Refused extends Error {
	constructor(readonly reservation: { ok: false; retryAfterSeconds: number }) {
		super('refused');
	}
}
