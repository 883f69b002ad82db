import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { freshDatabase, type TestDatabase } from './db';
import { ROOT } from './app-process';
import { loadActor } from '../../src/lib/server/auth/actor';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { createSession, generateToken, hashToken } from '../../src/lib/server/auth/session';
import { DomainError } from '../../src/lib/server/errors';
import {
	RESET_LIFETIME_MS,
	ResetUnusable,
	changePassword,
	requestPasswordReset,
	resetByToken,
	resetPassword
} from '../../src/lib/server/auth/account';
import { PASSWORD_TOO_COMMON } from '../../src/lib/server/auth/password-rule';
import { signIn } from '../../src/lib/server/auth/signin';
import { acceptInvitation, invitePerson } from '../../src/lib/server/people';

const PASSWORD = 'kettle meadow orbit lantern';
let test: TestDatabase;
let officerId = 0;
let schoolId = 0;
let counter = 0;
let addressCounter = 0;
const nextAddress = () => `198.51.100.${++addressCounter}`;

beforeAll(async () => {
	test = await freshDatabase();
	const district = await test.db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const locality = await test.db
		.insertInto('cluster')
		.values({ kind: 'locality', name: 'Banbury', parent_id: district.id })
		.returning('id')
		.executeTakeFirstOrThrow();
	schoolId = (
		await test.db.insertInto('setting').values({ urn: '900001', name: 'Hill View Primary', phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: locality.id }).returning('id').executeTakeFirstOrThrow()
	).id;
	officerId = (await insertUser({ countyRole: 'officer' })).id;
});

afterAll(async () => {
	await test?.close();
});

const savedOrigin = process.env.ORIGIN;
afterEach(() => {
	if (savedOrigin === undefined) delete process.env.ORIGIN;
	else process.env.ORIGIN = savedOrigin;
});

async function insertUser(options: { countyRole?: 'officer'; active?: boolean } = {}) {
	const email = `person${++counter}@school.example`;
	const row = await test.db
		.insertInto('app_user')
		.values({ email, name: `Person ${counter}`, password_hash: await hashPassword(PASSWORD), county_role: options.countyRole ?? null, is_active: options.active ?? true })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { id: row.id, email };
}

async function lastMailTo(email: string) {
	return test.db.selectFrom('mail_outbox').select(['body_text', 'subject']).where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirst();
}

async function resetTokenMailedTo(email: string): Promise<string> {
	const mail = await lastMailTo(email);
	const match = /\/reset\/([a-z2-7]{32})/.exec(mail?.body_text ?? '');
	if (!match) throw new Error('no reset link in the mail');
	return match[1];
}

async function refusal(work: Promise<unknown>): Promise<unknown> {
	return work.then(
		() => null,
		(caught: unknown) => caught
	);
}

describe('forgot your password', () => {
	it('mails a single-use link built from ORIGIN, keeping only its hash; the answer is the same for an unknown address', async () => {
		process.env.ORIGIN = 'https://send-portal.oxfordshire.example';
		const user = await insertUser();
		const mailsBefore = await test.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		const known = await requestPasswordReset(test.db, { email: user.email.toUpperCase(), address: nextAddress() });
		const unknown = await requestPasswordReset(test.db, { email: 'nobody@school.example', address: nextAddress() });
		expect(known).toEqual(unknown);
		expect(known).toEqual({ ok: true });
		const mailsAfter = await test.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(mailsAfter.n) - Number(mailsBefore.n)).toBe(1);

		const mail = await lastMailTo(user.email);
		expect(mail?.body_text).toMatch(/https:\/\/send-portal\.oxfordshire\.example\/reset\/[a-z2-7]{32}/);
		const token = await resetTokenMailedTo(user.email);
		const row = await test.db.selectFrom('password_reset').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
		expect(row.token_hash).toBe(hashToken(token));
		expect(row.expires_at.getTime() - row.created_at.getTime()).toBeLessThanOrEqual(RESET_LIFETIME_MS + 1000);
		expect(await resetByToken(test.db, token)).toEqual({ ok: true, email: user.email, userId: user.id });

		await resetPassword(test.db, token, 'orbit lantern kettle meadow');
		const stored = await test.db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(await verifyPassword(stored.password_hash!, 'orbit lantern kettle meadow')).toBe(true);
		// Used once, it is dead.
		expect(await resetByToken(test.db, token)).toEqual({ ok: false, problem: 'used' });
		const again = await refusal(resetPassword(test.db, token, 'yet another passphrase'));
		expect(again).toBeInstanceOf(ResetUnusable);
		expect((again as ResetUnusable).problem).toBe('used');
		expect((await lastMailTo(user.email))?.subject).toBe('Your portal password has been changed');
	});

	it('an expired, made-up or malformed link does not work', async () => {
		const user = await insertUser();
		await requestPasswordReset(test.db, { email: user.email, address: nextAddress() });
		const token = await resetTokenMailedTo(user.email);
		await test.db.updateTable('password_reset').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
		expect(await resetByToken(test.db, token)).toEqual({ ok: false, problem: 'expired' });
		expect(await resetByToken(test.db, generateToken())).toEqual({ ok: false, problem: 'unknown' });
		expect(await resetByToken(test.db, "'; drop table app_user; --")).toEqual({ ok: false, problem: 'unknown' });
	});

	it('using one link kills the others; a deactivated account gets no mail', async () => {
		const user = await insertUser();
		await requestPasswordReset(test.db, { email: user.email, address: nextAddress() });
		const first = await resetTokenMailedTo(user.email);
		await requestPasswordReset(test.db, { email: user.email, address: nextAddress() });
		const second = await resetTokenMailedTo(user.email);
		await resetPassword(test.db, second, 'lantern orbit kettle meadow');
		expect(await resetByToken(test.db, first)).toEqual({ ok: false, problem: 'used' });

		const closed = await insertUser({ active: false });
		expect(await requestPasswordReset(test.db, { email: closed.email, address: nextAddress() })).toEqual({ ok: true });
		expect(await lastMailTo(closed.email)).toBeUndefined();
	});

	it('refuses a common password on the reset page too', async () => {
		const user = await insertUser();
		await requestPasswordReset(test.db, { email: user.email, address: nextAddress() });
		const token = await resetTokenMailedTo(user.email);
		const error = await refusal(resetPassword(test.db, token, 'password1234'));
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).fieldErrors).toEqual({ password: [PASSWORD_TOO_COMMON] });
		expect(await resetByToken(test.db, token)).toMatchObject({ ok: true });
	});

	it('is rate-limited: past the account limit nothing more is sent (same answer); past the address limit, a wait', async () => {
		const user = await insertUser();
		for (let i = 0; i < 5; i++) expect(await requestPasswordReset(test.db, { email: user.email, address: nextAddress() })).toEqual({ ok: true });
		expect(await test.db.selectFrom('password_reset').select('id').where('user_id', '=', user.id).execute()).toHaveLength(3);

		const address = nextAddress();
		const answers = await Promise.all(
			Array.from({ length: 25 }, (_, i) => requestPasswordReset(test.db, { email: `someone${i}@school.example`, address }))
		);
		expect(answers.filter((a) => a.ok)).toHaveLength(20);
		expect(answers.filter((a) => !a.ok)[0]).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
	});

	it('the new password signs in; the old one does not', async () => {
		const user = await insertUser();
		await requestPasswordReset(test.db, { email: user.email, address: nextAddress() });
		await resetPassword(test.db, await resetTokenMailedTo(user.email), 'meadow kettle lantern orbit');
		expect((await signIn(test.db, { email: user.email, password: PASSWORD, address: nextAddress() })).ok).toBe(false);
		expect((await signIn(test.db, { email: user.email, password: 'meadow kettle lantern orbit', address: nextAddress() })).ok).toBe(true);
	});
});

describe('change your password', () => {
	it('needs the current password, refuses a common new one, and ends the other sessions', async () => {
		const user = await insertUser();
		const actor = (await loadActor(test.db, user.id))!;
		const keep = generateToken();
		const other = generateToken();
		await createSession(test.db, keep, user.id);
		await createSession(test.db, other, user.id);

		const wrong = await refusal(changePassword(test.db, actor, hashToken(keep), { current: 'not it at all', password: 'orbit meadow kettle lantern' }));
		expect((wrong as DomainError).fieldErrors).toEqual({ current: ['Your current password is not right. Check it and try again.'] });
		const common = await refusal(changePassword(test.db, actor, hashToken(keep), { current: PASSWORD, password: 'password1234' }));
		expect((common as DomainError).fieldErrors).toEqual({ password: [PASSWORD_TOO_COMMON] });

		expect(await changePassword(test.db, actor, hashToken(keep), { current: PASSWORD, password: 'orbit meadow kettle lantern' })).toEqual({ sessionsEnded: 1 });
		const sessions = await test.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
		expect(sessions.map((s) => s.id)).toEqual([hashToken(keep)]);
		const audit = await test.db.selectFrom('audit_log').select(['actor_id', 'action']).where('subject_id', '=', user.id).where('action', '=', 'person.passwordChanged').execute();
		expect(audit).toEqual([{ actor_id: user.id, action: 'person.passwordChanged' }]);
	});

	it('guessing the current password is throttled like signing in', async () => {
		const user = await insertUser();
		const actor = (await loadActor(test.db, user.id))!;
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) => refusal(changePassword(test.db, actor, 'x', { current: `guess ${i}`, password: 'orbit meadow kettle lantern' })))
		);
		const codes = results.map((r) => (r as DomainError).code);
		expect(codes.filter((c) => c === 'BAD_REQUEST')).toHaveLength(5);
		expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(5);
	});
});

describe('invitations', () => {
	it('the link is built from ORIGIN, and accepting refuses a common password', async () => {
		process.env.ORIGIN = 'https://send-portal.oxfordshire.example';
		const officer = (await loadActor(test.db, officerId))!;
		const email = `invitee${++counter}@school.example`;
		await invitePerson(test.db, officer, { email, name: 'Ivy Invitee', grant: { kind: 'setting', settingId: schoolId, role: 'senco' } });
		const mail = await lastMailTo(email);
		const match = /https:\/\/send-portal\.oxfordshire\.example\/invite\/([a-z2-7]{32})/.exec(mail?.body_text ?? '');
		expect(match).not.toBeNull();
		const error = await refusal(acceptInvitation(test.db, match![1], 'password1234'));
		expect((error as DomainError).fieldErrors).toEqual({ password: [PASSWORD_TOO_COMMON] });
		expect((await acceptInvitation(test.db, match![1], 'lantern kettle orbit meadow')).kind).toBe('signedIn');
	});
});

describe('starting in production', () => {
	it('refuses to start without ORIGIN, saying what to set', async () => {
		const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0' };
		delete env.ORIGIN;
		const child = spawn(process.execPath, ['src/node-server.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		expect(code).toBe(1);
		expect(output).toMatch(/ORIGIN is not set/);
		expect(output).toMatch(/ORIGIN=https:\/\//);
	});
});
