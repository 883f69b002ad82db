import type { Database } from '../db';
import { generateToken, hashToken } from './session';

/**
 * OWASP's device cookie: a browser that has signed in to an account before holds a random token
 * (HttpOnly cookie; the database keeps only its SHA-256). Attempts from it are throttled on their
 * own, so nobody can shut a person out of their usual browser by failing at their account or by
 * flooding a shared address, such as a school's or a council's proxy.
 */
export const DEVICE_COOKIE = 'portal_device';
export const DEVICE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** The account this device token has signed in to, if it is known and not too old. */
export async function deviceAccount(db: Database, token: string | null | undefined): Promise<number | null> {
	if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
	const row = await db
		.selectFrom('known_device')
		.select('user_id')
		.where('token_hash', '=', hashToken(token))
		.where('created_at', '>', new Date(Date.now() - DEVICE_LIFETIME_MS))
		.executeTakeFirst();
	return row?.user_id ?? null;
}

/** After a successful sign-in: keep the device's token for this account, or issue a new one. */
export async function rememberDevice(db: Database, userId: number, token: string | null | undefined): Promise<string> {
	if (token && (await deviceAccount(db, token)) === userId) {
		await db.updateTable('known_device').set({ last_used_at: new Date() }).where('token_hash', '=', hashToken(token)).execute();
		return token;
	}
	const fresh = generateToken();
	await db.insertInto('known_device').values({ token_hash: hashToken(fresh), user_id: userId }).execute();
	return fresh;
}
