import { parse as parseCookies } from 'cookie';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Database } from '../db';
import { actorOf, personWithRoles, type Actor } from './actor';

// The lucia-auth.com session recipe: the browser holds a random token, the database holds only
// its SHA-256, so a leaked sessions table cannot be replayed. Sessions slide: a session used in
// its second half is extended to the full lifetime again.
export const SESSION_COOKIE = 'portal_session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
const RENEW_WHEN_LEFT_MS = 15 * DAY_MS;

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: Database, token: string, userId: number): Promise<Session> {
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS)
	};
	await db
		.insertInto('user_session')
		.values({ id: session.id, user_id: userId, expires_at: session.expiresAt })
		.execute();
	return session;
}

export interface ValidatedSession {
	session: Session;
	actor: Actor;
}

export async function validateSessionToken(db: Database, token: string): Promise<ValidatedSession | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const id = hashToken(token);
	// The session, its person and every role they hold: one statement.
	const row = await personWithRoles(db)
		.innerJoin('user_session as us', 'us.user_id', 'u.id')
		.select(['us.id as session_id', 'us.expires_at'])
		.where('us.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const session: Session = { id: row.session_id, userId: row.id, expiresAt: row.expires_at };
	if (Date.now() >= session.expiresAt.getTime() || !row.is_active) {
		await invalidateSession(db, session.id);
		return null;
	}
	if (session.expiresAt.getTime() - Date.now() < RENEW_WHEN_LEFT_MS) {
		session.expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
		await db.updateTable('user_session').set({ expires_at: session.expiresAt }).where('id', '=', session.id).execute();
	}
	const actor = actorOf(row);
	if (!actor) return null;
	return { session, actor };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
	await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Reads the session token from a raw Cookie header (socket.io handshakes). */
export function tokenFromCookieHeader(header: string | undefined): string | null {
	if (!header) return null;
	return parseCookies(header)[SESSION_COOKIE] ?? null;
}
