import type { Database } from '../db';
import type { Actor } from './actor';
import { assertCan } from '../policy';
import { DomainError, invalid } from '../errors';
import { transact, type Work } from '../work';
import { absoluteUrl } from '../origin';
import { generateToken, hashToken } from './session';
import { hashPassword, verifyPassword } from './password';
import { passwordProblem } from './password-rule';
import { refundAttempt, reserveAttempt, throttleKey, waitMessage, type ThrottleRule } from './throttle';
import { ACCOUNT_RULE } from './signin';

/** Signs out: the session ends, and so do the live connections opened with it, on every instance. */
export async function signOut(db: Database, actor: Actor, sessionId: string): Promise<void> {
	assertCan(actor, { action: 'account.signOut', userId: actor.id });
	await transact(db, actor.id, async (work) => {
		await work.trx.deleteFrom('user_session').where('id', '=', sessionId).where('user_id', '=', actor.id).execute();
		work.disconnectSession(sessionId);
	});
}

/** Ends every session of this person but `keep`, with their sockets; returns how many ended. */
async function endSessions(work: Work, userId: number, keep?: string): Promise<number> {
	let query = work.trx.deleteFrom('user_session').where('user_id', '=', userId);
	if (keep) query = query.where('id', '!=', keep);
	const ended = await query.returning('id').execute();
	for (const { id } of ended) work.disconnectSession(id);
	return ended.length;
}

const CHANGED_MAIL = (name: string) => ({
	subject: 'Your portal password has been changed',
	text:
		`Hello ${name},\n\nThe password for your Oxfordshire SEND cluster portal account has just been changed, ` +
		'and every other browser signed in to your account has been signed out.\n\n' +
		`If this was not you, reset your password now at ${absoluteUrl('/signin/forgot')} and tell a council officer.`
});

/**
 * A signed-in person changes their own password: the current one is checked (throttled like
 * sign-in, so a borrowed session cannot guess it), the new one follows the password rule, and
 * every other session of theirs ends with its live connections.
 */
export async function changePassword(
	db: Database,
	actor: Actor,
	sessionId: string,
	input: { current: string; password: string }
): Promise<{ sessionsEnded: number }> {
	assertCan(actor, { action: 'account.changePassword', userId: actor.id });
	const problem = passwordProblem(input.password, actor);
	if (problem) throw invalid(problem, { password: [problem] });

	const key = throttleKey('change-password', String(actor.id));
	const reservation = await reserveAttempt(db, key, ACCOUNT_RULE);
	if (!reservation.ok) {
		throw new DomainError('TOO_MANY_REQUESTS', `Too many attempts. ${waitMessage(reservation.retryAfterSeconds)}, then try again.`);
	}
	const row = await db.selectFrom('app_user').select('password_hash').where('id', '=', actor.id).executeTakeFirstOrThrow();
	if (!row.password_hash || !(await verifyPassword(row.password_hash, input.current))) {
		const message = 'Your current password is not right. Check it and try again.';
		throw invalid(message, { current: [message] });
	}
	await refundAttempt(db, key, ACCOUNT_RULE);
	// Hashed outside the transaction: argon2 is slow and should not hold row locks.
	const passwordHash = await hashPassword(input.password);
	return transact(db, actor.id, async (work) => {
		await work.trx.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', actor.id).execute();
		// Any reset link still waiting would undo this change.
		await work.trx.updateTable('password_reset').set({ used_at: new Date() }).where('user_id', '=', actor.id).where('used_at', 'is', null).execute();
		const sessionsEnded = await endSessions(work, actor.id, sessionId);
		await work.record({ action: 'person.passwordChanged', subject: { type: 'person', id: actor.id }, summary: 'Password changed', detail: { sessionsEnded } });
		await work.mail({ to: actor.email, ...CHANGED_MAIL(actor.name) });
		return { sessionsEnded };
	});
}

/** A reset link works for an hour, once. */
export const RESET_LIFETIME_MS = 60 * 60 * 1000;
/** Reset requests: a few per account an hour (silently, so the answer never differs); more per address, then waits. */
export const RESET_ACCOUNT_RULE: ThrottleRule = { free: 3, firstDelaySeconds: 15 * 60, maxDelaySeconds: 60 * 60, quietSeconds: 60 * 60 };
export const RESET_ADDRESS_RULE: ThrottleRule = { free: 20, firstDelaySeconds: 60, maxDelaySeconds: 60 * 60, quietSeconds: 60 * 60 };

export type ResetRequestResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * "Forgot your password": mails a single-use link to the account's address, if there is an
 * active account. The answer is the same whether or not there is one.
 */
export async function requestPasswordReset(db: Database, input: { email: string; address: string }): Promise<ResetRequestResult> {
	const byAddress = await reserveAttempt(db, throttleKey('reset-address', input.address), RESET_ADDRESS_RULE);
	if (!byAddress.ok) return byAddress;
	// Past the account's limit nothing is sent, but the answer stays the same.
	const byAccount = await reserveAttempt(db, throttleKey('reset-account', input.email), RESET_ACCOUNT_RULE);
	if (!byAccount.ok) return { ok: true };
	const token = generateToken();
	await transact(db, null, async (work) => {
		const user = await work.trx
			.selectFrom('app_user')
			.select(['id', 'name', 'email'])
			.where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.trim().toLowerCase()))
			.where('is_active', '=', true)
			.executeTakeFirst();
		if (!user) return;
		const expiresAt = new Date(Date.now() + RESET_LIFETIME_MS);
		await work.trx.insertInto('password_reset').values({ user_id: user.id, token_hash: hashToken(token), expires_at: expiresAt }).execute();
		await work.record({ action: 'person.passwordResetRequested', subject: { type: 'person', id: user.id }, summary: 'Asked for a password reset link' });
		await work.mail({
			to: user.email,
			subject: 'Reset your portal password',
			text:
				`Hello ${user.name},\n\nSomeone (we hope you) asked to reset the password for your Oxfordshire SEND cluster portal account. ` +
				`To choose a new password, open this link within an hour:\n\n${absoluteUrl(`/reset/${token}`)}\n\n` +
				'The link works once. If you did not ask for this, you can ignore this email: your password has not changed.'
		});
	});
	return { ok: true };
}

export type ResetProblem = 'unknown' | 'used' | 'expired';
export const RESET_PROBLEMS: Record<ResetProblem, { title: string; message: string }> = {
	unknown: { title: 'This link does not work', message: 'Check you copied the whole link from the email, or ask for a new one.' },
	used: { title: 'This link has already been used', message: 'Each reset link works once. If you still need to reset your password, ask for a new link.' },
	expired: { title: 'This link has expired', message: 'Reset links work for an hour. Ask for a new link.' }
};

export class ResetUnusable extends Error {
	constructor(readonly problem: ResetProblem) {
		super(problem);
	}
}

type ResetRow = { id: number; user_id: number; expires_at: Date; used_at: Date | null; email: string; is_active: boolean };

function resetProblem(row: ResetRow | undefined): ResetProblem | null {
	if (!row || !row.is_active) return 'unknown';
	if (row.used_at) return 'used';
	if (row.expires_at.getTime() <= Date.now()) return 'expired';
	return null;
}

/** For the reset page: whose link this is, or why it cannot be used. */
export async function resetByToken(db: Database, token: string): Promise<{ ok: true; email: string; userId: number } | { ok: false; problem: ResetProblem }> {
	if (!/^[a-z2-7]{32}$/.test(token)) return { ok: false, problem: 'unknown' };
	const row = await db
		.selectFrom('password_reset as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['r.id', 'r.user_id', 'r.expires_at', 'r.used_at', 'u.email', 'u.is_active'])
		.where('r.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	const problem = resetProblem(row);
	return problem || !row ? { ok: false, problem: problem ?? 'unknown' } : { ok: true, email: row.email, userId: row.user_id };
}

/**
 * Sets a new password from a reset link: the link is used up (with every other link for that
 * account), and every session of theirs ends with its live connections. They then sign in.
 */
export async function resetPassword(db: Database, token: string, password: string): Promise<void> {
	const glance = await resetByToken(db, token);
	if (!glance.ok) throw new ResetUnusable(glance.problem);
	const problem = passwordProblem(password, { email: glance.email });
	if (problem) throw invalid(problem, { password: [problem] });
	const passwordHash = await hashPassword(password);
	// Recorded as done by the person themself: holding the link from their mailbox is the proof.
	await transact(db, glance.userId, async (work) => {
		// Locked, so two uses of one link at once cannot both succeed.
		const row = await work.trx
			.selectFrom('password_reset as r')
			.innerJoin('app_user as u', 'u.id', 'r.user_id')
			.select(['r.id', 'r.user_id', 'r.expires_at', 'r.used_at', 'u.email', 'u.is_active', 'u.name'])
			.where('r.token_hash', '=', hashToken(token))
			.forUpdate()
			.executeTakeFirst();
		const late = resetProblem(row);
		if (late || !row) throw new ResetUnusable(late ?? 'unknown');
		await work.trx.updateTable('password_reset').set({ used_at: new Date() }).where('user_id', '=', row.user_id).where('used_at', 'is', null).execute();
		await work.trx.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', row.user_id).execute();
		const sessionsEnded = await endSessions(work, row.user_id);
		await work.record({ action: 'person.passwordReset', subject: { type: 'person', id: row.user_id }, summary: 'Password reset from an emailed link', detail: { sessionsEnded } });
		await work.mail({ to: row.email, ...CHANGED_MAIL(row.name) });
	});
	// A reset proves the person holds their mailbox: their sign-in attempts start afresh.
	await db.deleteFrom('signin_throttle').where('key', '=', throttleKey('account', glance.email)).execute();
}
