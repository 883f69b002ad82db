import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSession, forgetSessionsAfter } from '../../src/lib/server/auth/session-cache';
import { transact } from '../../src/lib/server/work';
import type pg from 'pg';
import { freshDatabase, type TestDatabase } from './db';
import { createPool } from '../../src/lib/server/db';
import { hashPassword } from '../../src/lib/server/auth/password';
import {
	SESSION_LIFETIME_MS,
	createSession,
	generateToken,
	hashToken,
	invalidateUserSessions,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { SIGN_IN_FAILED, SIGN_IN_LIMITED, signIn } from '../../src/lib/server/auth/signin';

const PASSWORD = 'correct horse battery staple';
const DAY_MS = 24 * 60 * 60 * 1000;

let test: TestDatabase;
let pool: pg.Pool;
let banburyId: number;

beforeAll(async () => {
	test = await freshDatabase();
	pool = createPool(test.url, 4);
	const district = await test.db
		.insertInto('cluster')
		.values({ kind: 'district', name: 'Cherwell' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const locality = await test.db
		.insertInto('cluster')
		.values({ kind: 'locality', name: 'Banbury', parent_id: district.id })
		.returning('id')
		.executeTakeFirstOrThrow();
	banburyId = locality.id;
});

afterAll(async () => {
	await pool?.end();
	await test?.close();
});

let emailCounter = 0;
async function insertUser(options: { active?: boolean; leadsBanbury?: boolean } = {}) {
	const email = `person${++emailCounter}@school.example`;
	const user = await test.db
		.insertInto('app_user')
		.values({ email, name: `Person ${emailCounter}`, password_hash: await hashPassword(PASSWORD), is_active: options.active ?? true })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (options.leadsBanbury) {
		await test.db.insertInto('cluster_role').values({ user_id: user.id, cluster_id: banburyId, role: 'cluster_lead' }).execute();
	}
	return { id: user.id, email };
}

async function sessionRow(id: string) {
	return test.db.selectFrom('user_session').selectAll().where('id', '=', id).executeTakeFirst();
}

async function countRows(table: 'user_session' | 'audit_log' | 'activity' | 'notification' | 'mail_outbox' | 'rate_limit' | 'app_user') {
	const row = await test.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

let addressCounter = 0;
/** Each test signs in from its own network address, so the per-address limit never links tests. */
const nextAddress = () => `192.0.2.${++addressCounter}`;

describe('sessions', () => {
	it('are stored under the SHA-256 of the token, never the token itself', async () => {
		const user = await insertUser();
		const token = generateToken();
		const session = await createSession(test.db, token, user.id);
		expect(session.id).toBe(hashToken(token));
		const rows = await test.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
		expect(rows.map((r) => r.id)).toEqual([hashToken(token)]);
		expect(rows[0].id).not.toBe(token);
		// Presenting the stored id as if it were a cookie does not work.
		expect(await validateSessionToken(test.db, rows[0].id)).toBeNull();
	});

	it('a valid token gives back the person with their roles', async () => {
		const user = await insertUser({ leadsBanbury: true });
		const token = generateToken();
		await createSession(test.db, token, user.id);
		const validated = await validateSessionToken(test.db, token);
		expect(validated?.actor).toMatchObject({ id: user.id, email: user.email, countyRole: null });
		expect(validated?.actor.clusterRoles).toEqual([
			{ clusterId: banburyId, clusterName: 'Banbury', clusterKind: 'locality', role: 'cluster_lead' }
		]);
		expect(validated?.actor.clusterIds).toContain(banburyId);
		expect(validated?.session.userId).toBe(user.id);
	});

	it('an unknown or malformed token gives nothing', async () => {
		expect(await validateSessionToken(test.db, generateToken())).toBeNull();
		expect(await validateSessionToken(test.db, 'not a token')).toBeNull();
		expect(await validateSessionToken(test.db, '')).toBeNull();
	});

	it('an expired session gives nothing and its row is deleted', async () => {
		const user = await insertUser();
		const token = generateToken();
		const session = await createSession(test.db, token, user.id);
		await test.db
			.updateTable('user_session')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.where('id', '=', session.id)
			.execute();
		expect(await validateSessionToken(test.db, token)).toBeNull();
		expect(await sessionRow(session.id)).toBeUndefined();
	});

	it('a session used in its second half is extended to the full lifetime (sliding expiry)', async () => {
		const user = await insertUser();
		const token = generateToken();
		const session = await createSession(test.db, token, user.id);
		const tenDaysLeft = new Date(Date.now() + 10 * DAY_MS);
		await test.db.updateTable('user_session').set({ expires_at: tenDaysLeft }).where('id', '=', session.id).execute();

		const before = Date.now();
		const validated = await validateSessionToken(test.db, token);
		const after = Date.now();
		expect(validated).not.toBeNull();
		const extended = validated!.session.expiresAt.getTime();
		expect(extended).toBeGreaterThanOrEqual(before + SESSION_LIFETIME_MS);
		expect(extended).toBeLessThanOrEqual(after + SESSION_LIFETIME_MS);
		expect((await sessionRow(session.id))!.expires_at.getTime()).toBe(extended);
	});

	it('a session in its first half keeps its expiry', async () => {
		const user = await insertUser();
		const token = generateToken();
		const session = await createSession(test.db, token, user.id);
		const twentyDaysLeft = new Date(Math.floor((Date.now() + 20 * DAY_MS) / 1000) * 1000);
		await test.db.updateTable('user_session').set({ expires_at: twentyDaysLeft }).where('id', '=', session.id).execute();

		const validated = await validateSessionToken(test.db, token);
		expect(validated!.session.expiresAt.getTime()).toBe(twentyDaysLeft.getTime());
		expect((await sessionRow(session.id))!.expires_at.getTime()).toBe(twentyDaysLeft.getTime());
	});

	it("a deactivated person's session gives nothing and is removed", async () => {
		const user = await insertUser();
		const token = generateToken();
		const session = await createSession(test.db, token, user.id);
		expect(await validateSessionToken(test.db, token)).not.toBeNull();
		await test.db.updateTable('app_user').set({ is_active: false, deactivated_at: new Date() }).where('id', '=', user.id).execute();
		expect(await validateSessionToken(test.db, token)).toBeNull();
		expect(await sessionRow(session.id)).toBeUndefined();
	});

	it('signing someone out everywhere ends all their sessions and no one else’s', async () => {
		const user = await insertUser();
		const other = await insertUser();
		const tokens = [generateToken(), generateToken()];
		for (const token of tokens) await createSession(test.db, token, user.id);
		const otherToken = generateToken();
		await createSession(test.db, otherToken, other.id);
		await invalidateUserSessions(test.db, user.id);
		for (const token of tokens) expect(await validateSessionToken(test.db, token)).toBeNull();
		expect(await validateSessionToken(test.db, otherToken)).not.toBeNull();
	});
});

describe('remembered sessions (page and API requests)', () => {
	it('a checked session is remembered briefly, and forgotten as soon as someone is deactivated', async () => {
		const user = await insertUser();
		const token = generateToken();
		await createSession(test.db, token, user.id);
		expect((await checkSession(test.db, token))?.actor.id).toBe(user.id);
		// Deactivation commits through transact, which ends the person's connections.
		await transact(test.db, null, async (work) => {
			await work.trx.updateTable('app_user').set({ is_active: false }).where('id', '=', user.id).execute();
			await work.trx.deleteFrom('user_session').where('user_id', '=', user.id).execute();
			work.disconnectUser(user.id);
		});
		expect(await checkSession(test.db, token)).toBeNull();
	});

	it('a change in any workspace makes every remembered session be checked again', async () => {
		const user = await insertUser();
		const token = generateToken();
		await createSession(test.db, token, user.id);
		expect(await checkSession(test.db, token)).not.toBeNull();
		await test.db.deleteFrom('user_session').where('user_id', '=', user.id).execute();
		// Still remembered: nothing committed through the portal said anything changed.
		expect(await checkSession(test.db, token)).not.toBeNull();
		forgetSessionsAfter(test.db, [{ room: 'cluster:1', seq: 1, kind: 'membership.changed', payload: { clusterId: 1 } }], []);
		expect(await checkSession(test.db, token)).toBeNull();
	});
});

describe('signIn', () => {
	it('the right password opens a session whose token validates', async () => {
		const user = await insertUser();
		const result = await signIn(test.db, pool, { email: user.email, password: PASSWORD, address: nextAddress() });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.userId).toBe(user.id);
		expect(result.token).toMatch(/^[a-z2-7]{32}$/);
		expect(result.session.id).toBe(hashToken(result.token));
		expect(await sessionRow(result.session.id)).toMatchObject({ user_id: user.id });
		expect((await validateSessionToken(test.db, result.token))?.actor.id).toBe(user.id);
	});

	it('matches the email address whatever its case and surrounding spaces', async () => {
		const user = await insertUser();
		const result = await signIn(test.db, pool, { email: `  ${user.email.toUpperCase()} `, password: PASSWORD, address: nextAddress() });
		expect(result.ok).toBe(true);
	});

	it('a wrong password, an unknown email and a deactivated account all get the same message', async () => {
		const user = await insertUser();
		const deactivated = await insertUser({ active: false });
		const address = nextAddress();
		const wrongPassword = await signIn(test.db, pool, { email: user.email, password: 'wrong password', address });
		const unknownEmail = await signIn(test.db, pool, { email: 'nobody@school.example', password: PASSWORD, address });
		const inactive = await signIn(test.db, pool, { email: deactivated.email, password: PASSWORD, address });
		for (const result of [wrongPassword, unknownEmail, inactive]) {
			expect(result).toEqual({ ok: false, reason: 'failed', message: SIGN_IN_FAILED });
		}
		expect(SIGN_IN_FAILED).toMatch(/email address or password/);
	});

	it('after five wrong passwords for one email the sixth attempt is refused even with the right password', async () => {
		const user = await insertUser();
		for (let attempt = 1; attempt <= 5; attempt++) {
			// Each from a different address: the limit follows the account, not the network.
			const result = await signIn(test.db, pool, { email: user.email, password: `wrong ${attempt}`, address: nextAddress() });
			expect(result, `attempt ${attempt}`).toMatchObject({ ok: false, reason: 'failed' });
		}
		const sixth = await signIn(test.db, pool, { email: user.email, password: PASSWORD, address: nextAddress() });
		expect(sixth).toEqual({ ok: false, reason: 'limited', message: SIGN_IN_LIMITED });
		expect(SIGN_IN_LIMITED).toMatch(/Too many sign-in attempts/);
		// The limit is per account: someone else still signs in.
		const other = await insertUser();
		expect((await signIn(test.db, pool, { email: other.email, password: PASSWORD, address: nextAddress() })).ok).toBe(true);
		const sessions = await test.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
		expect(sessions).toEqual([]);
	});

	it('one network address is stopped after 100 failures across many accounts, while successes there never count', async () => {
		const address = nextAddress();
		const user = await insertUser();
		// A school's staff share an address and sign in every morning: successes do not use up the limit.
		for (let i = 0; i < 3; i++) expect((await signIn(test.db, pool, { email: user.email, password: PASSWORD, address })).ok).toBe(true);
		// Guessing across accounts (one try each, so no single account's limit is reached).
		for (let attempt = 1; attempt <= 100; attempt++) {
			const result = await signIn(test.db, pool, { email: `guess${attempt}@school.example`, password: 'guess', address });
			expect(result.ok, `attempt ${attempt}`).toBe(false);
			if (!result.ok) expect(result.reason, `attempt ${attempt}`).toBe('failed');
		}
		expect(await signIn(test.db, pool, { email: user.email, password: PASSWORD, address })).toEqual({
			ok: false,
			reason: 'limited',
			message: SIGN_IN_LIMITED
		});
		// Another address is unaffected.
		expect((await signIn(test.db, pool, { email: user.email, password: PASSWORD, address: nextAddress() })).ok).toBe(true);
	}, 60_000);

	it('a correct sign-in clears earlier wrong attempts for that account', async () => {
		const user = await insertUser();
		for (let attempt = 1; attempt <= 4; attempt++) {
			await signIn(test.db, pool, { email: user.email, password: 'wrong', address: nextAddress() });
		}
		expect((await signIn(test.db, pool, { email: user.email, password: PASSWORD, address: nextAddress() })).ok).toBe(true);
		for (let attempt = 1; attempt <= 4; attempt++) {
			await signIn(test.db, pool, { email: user.email, password: 'wrong', address: nextAddress() });
		}
		expect((await signIn(test.db, pool, { email: user.email, password: PASSWORD, address: nextAddress() })).ok).toBe(true);
	});

	it('failed sign-ins write nothing but rate-limit counters, and those hold no email address', async () => {
		const user = await insertUser();
		const tables = ['user_session', 'audit_log', 'activity', 'notification', 'mail_outbox', 'app_user'] as const;
		const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(t)] as const)));
		const rateLimitBefore = await countRows('rate_limit');
		const address = nextAddress();
		await signIn(test.db, pool, { email: user.email, password: 'wrong', address });
		await signIn(test.db, pool, { email: 'nobody-at-all@school.example', password: PASSWORD, address });
		const after = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(t)] as const)));
		expect(after).toEqual(before);
		// One counter for each account tried and one for the address.
		expect(await countRows('rate_limit')).toBe(rateLimitBefore + 3);
		const keys = await test.db.selectFrom('rate_limit').select('key').execute();
		for (const { key } of keys) {
			expect(key).not.toContain('@');
			expect(key).not.toContain(address);
		}
	});
});
