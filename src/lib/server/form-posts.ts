import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database, DB } from './db';
import { conflict } from './errors';
import { FORM_TOKEN_FIELD } from '$lib/form-token';

// Double submits are harmless: every form that changes something carries a one-time token
// (FORM_TOKEN_FIELD, made when the page was rendered). The first transaction of the post records
// the token under a unique key, in the same transaction as the change; a second post with the
// same token waits for the first, then gets the first's answer instead of doing the work again.
// The request hook (hooks.server.ts) puts the token in scope; `transact` (work.ts) claims it, so
// every command gets this without knowing about it.

export { FORM_TOKEN_FIELD };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FormPost {
	token: string;
	/** The route and action the token was posted to: a token is good for one form only. */
	form: string;
	/** A hash of the posted fields, so a stale token sent with other content is refused, not replayed. */
	fingerprint: string;
	userId: number | null;
	/** Set once a transaction has claimed the token, so later transactions in the same post do not. */
	claimed: boolean;
	/** Set once the first transaction has looked at the token, whatever it found. */
	seen: boolean;
}

const scope = new AsyncLocalStorage<FormPost>();

/** A well-formed token from posted text, or null (a missing or tampered one is simply not used). */
export function formTokenOf(value: FormDataEntryValue | null): string | null {
	return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}

/** What was posted, as a hash: every field but the token, in order (files by name and size). */
export function formFingerprint(form: FormData): string {
	const fields: [string, string][] = [];
	for (const [name, value] of form) {
		if (name === FORM_TOKEN_FIELD) continue;
		fields.push([name, typeof value === 'string' ? value : `file:${value.name}:${value.size}`]);
	}
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Runs one form post (or, in tests, one command) with its token in scope. */
export function withFormPost<T>(post: { token: string; form: string; fingerprint: string; userId: number | null }, run: () => T): { post: FormPost; result: T } {
	const state: FormPost = { ...post, claimed: false, seen: false };
	return { post: state, result: scope.run(state, run) };
}

export type Claim = { repeat: false } | { repeat: true; result: unknown };

/**
 * Called first in every transaction. Outside a form post, or after the post's first transaction,
 * it does nothing (null). Otherwise it records the token, waiting on the unique key if another
 * post with it is in flight; if the token was already used, it returns that post's result.
 */
export async function claimFormToken(trx: Transaction<DB>): Promise<Claim | null> {
	const post = scope.getStore();
	if (!post || post.seen) return null;
	post.seen = true;
	const inserted = await trx
		.insertInto('form_submission')
		.values({ token: post.token, user_id: post.userId, form: post.form, fingerprint: post.fingerprint })
		.onConflict((oc) => oc.column('token').doNothing())
		.returning('token')
		.executeTakeFirst();
	if (inserted) {
		post.claimed = true;
		return { repeat: false };
	}
	const earlier = await trx
		.selectFrom('form_submission')
		.select(['user_id', 'form', 'fingerprint', 'result'])
		.where('token', '=', post.token)
		.executeTakeFirst();
	if (!earlier || earlier.user_id !== post.userId || earlier.form !== post.form || earlier.fingerprint !== post.fingerprint) {
		throw conflict('This form has already been used. Reload the page and try again.');
	}
	return { repeat: true, result: earlier.result };
}

/** Keeps what the command returned with the token, still inside its transaction. */
export async function recordFormResult(trx: Transaction<DB>, result: unknown): Promise<void> {
	const post = scope.getStore();
	if (!post?.claimed) return;
	await trx
		.updateTable('form_submission')
		.set({ result: JSON.stringify(result ?? null) })
		.where('token', '=', post.token)
		.execute();
}

/** After the first post's response: where it sent the person ('' when it did not redirect). */
export async function recordFormLocation(db: Database, token: string, location: string): Promise<void> {
	await db.updateTable('form_submission').set({ location }).where('token', '=', token).execute();
}

/**
 * Where an earlier post with this token sent its person, once it has committed. A repeat that
 * arrives just after the commit waits briefly for the first response to be recorded.
 */
export async function earlierLocation(db: Database, post: Omit<FormPost, 'claimed' | 'seen'>): Promise<string | null> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const row = await db
			.selectFrom('form_submission')
			.select(['user_id', 'form', 'fingerprint', 'location'])
			.where('token', '=', post.token)
			.executeTakeFirst();
		if (!row || row.user_id !== post.userId || row.form !== post.form || row.fingerprint !== post.fingerprint) return null;
		if (row.location !== null) return row.location || null;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return null;
}

/** Tokens are only needed while a page is open; a day is far longer than that (the retention job forgets older ones). */
export const FORM_TOKEN_LIFETIME_MS = 86_400_000;
