import { sql } from 'kysely';
import type { Database } from '../db';
import { parseInput } from '../input';
import { absoluteUrl, transact } from '../work';
import { invalid } from '../errors';
import { generateToken, hashToken } from '../auth/session';
import { reserveAttempt, throttleKey, type ThrottleRule } from '../auth/throttle';
import { subscribeSchema } from '$lib/schemas/pcf';
import { CONFIRM_LIFETIME_MS, confirmationProblem, type ConfirmationProblem } from './edition-rules';
import { COUNTY_NAME } from './editions';

// Families' email subscriptions to "you said, we did" editions. Families have no accounts, so
// the least is kept: the address and the district (none for county-wide). Double opt-in: a
// confirmation link, single use, for two days (only its hash is stored). Asking again is harmless
// and the answer never says whether the address is already subscribed. Unsubscribing (a link in
// every email, and RFC 8058's one-click POST) deletes the address. Throttled like password resets.

/** Per network address: a few a minute is plenty for a family; then waits. */
export const SUBSCRIBE_ADDRESS_RULE: ThrottleRule = { free: 10, firstDelaySeconds: 60, maxDelaySeconds: 60 * 60, quietSeconds: 60 * 60 };
/** Per email address: past a few confirmation emails an hour, nothing more is sent (silently, so the answer never differs). */
export const SUBSCRIBE_EMAIL_RULE: ThrottleRule = { free: 3, firstDelaySeconds: 15 * 60, maxDelaySeconds: 60 * 60, quietSeconds: 60 * 60 };

export const unsubscribeLink = (key: string) => absoluteUrl(`/you-said-we-did/unsubscribe/${key}`);
export const confirmLink = (token: string) => absoluteUrl(`/you-said-we-did/subscribe/${token}`);

const TOKEN_SHAPE = /^[a-z2-7]{32}$/;
const KEY_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type SubscribeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Asks for a subscription: a new address (or one not yet confirmed) gets a fresh confirmation
 * link; a confirmed one gets nothing. The answer is the same either way.
 */
export async function subscribe(db: Database, raw: unknown, address: string): Promise<SubscribeResult> {
	const input = parseInput(subscribeSchema, raw);
	let districtName = COUNTY_NAME;
	if (input.districtId !== null) {
		const district = await db.selectFrom('cluster').select(['name', 'kind']).where('id', '=', input.districtId).executeTakeFirst();
		if (!district || district.kind !== 'district') throw invalid('Choose a district, or all of Oxfordshire', { districtId: ['Choose a district, or all of Oxfordshire'] });
		districtName = district.name;
	}
	const byAddress = await reserveAttempt(db, throttleKey('subscribe-address', address), SUBSCRIBE_ADDRESS_RULE);
	if (!byAddress.ok) return byAddress;
	const byEmail = await reserveAttempt(db, throttleKey('subscribe-email', input.email), SUBSCRIBE_EMAIL_RULE);
	if (!byEmail.ok) return { ok: true };
	const token = generateToken();
	const expiresAt = new Date(Date.now() + CONFIRM_LIFETIME_MS);
	await transact(db, null, async (work) => {
		// One statement, safe when two requests race: a confirmed address is left as it is (no row comes back).
		const written = await sql<{ id: number; unsubscribe_key: string }>`
			insert into pcf_subscriber (email, district_id, confirm_token_hash, confirm_expires_at)
			values (${input.email}, ${input.districtId}, ${hashToken(token)}, ${expiresAt})
			on conflict (email, coalesce(district_id, 0)) do update
				set confirm_token_hash = excluded.confirm_token_hash, confirm_expires_at = excluded.confirm_expires_at
				where pcf_subscriber.confirmed_at is null
			returning id, unsubscribe_key::text`.execute(work.trx);
		const row = written.rows[0];
		if (!row) return;
		await work.record({ action: 'pcf.subscriber_asked', subject: { type: 'pcf_subscriber', id: row.id }, summary: `asked for ${districtName} editions by email (waiting for confirmation)` });
		await work.mail({
			to: input.email,
			subject: 'Confirm your “you said, we did” emails',
			text:
				`Someone (we hope you) asked for an email when Oxfordshire Parent Carer Forum and Oxfordshire County Council publish a “you said, we did” edition for ${districtName}.\n\n` +
				`To start getting them, open this link within two days and press the button:\n\n${confirmLink(token)}\n\n` +
				'The link works once. If you did not ask for this, ignore this email: nothing more will be sent, and your address is deleted after two days.\n\n' +
				`To remove your address now: ${unsubscribeLink(row.unsubscribe_key)}`,
			listUnsubscribe: `${unsubscribeLink(row.unsubscribe_key)}/one-click`
		});
	});
	return { ok: true };
}

export const CONFIRM_PROBLEMS: Record<ConfirmationProblem, { title: string; message: string }> = {
	unknown: { title: 'This link does not work', message: 'Check you copied the whole link from the email, or ask for the emails again.' },
	used: { title: 'This link has already been used', message: 'Your emails are already confirmed. Each confirmation link works once.' },
	expired: { title: 'This link has expired', message: 'Confirmation links work for two days. Ask for the emails again.' }
};

export class ConfirmationUnusable extends Error {
	constructor(readonly problem: ConfirmationProblem) {
		super(problem);
	}
}

async function byToken(db: Database, token: string, lock: boolean) {
	if (!TOKEN_SHAPE.test(token)) return undefined;
	let query = db
		.selectFrom('pcf_subscriber as s')
		.leftJoin('cluster as d', 'd.id', 's.district_id')
		.select(['s.id', 's.confirmed_at', 's.confirm_expires_at', 'd.name as district_name'])
		.where('s.confirm_token_hash', '=', hashToken(token));
	if (lock) query = query.forUpdate('s');
	return query.executeTakeFirst();
}

/** For the confirmation page: which editions the link is for, or why it cannot be used. */
export async function confirmationByToken(db: Database, token: string): Promise<{ ok: true; districtName: string } | { ok: false; problem: ConfirmationProblem }> {
	const row = await byToken(db, token, false);
	const problem = confirmationProblem(row && { confirmedAt: row.confirmed_at, expiresAt: row.confirm_expires_at }, new Date());
	return problem || !row ? { ok: false, problem: problem ?? 'unknown' } : { ok: true, districtName: row.district_name ?? COUNTY_NAME };
}

/** Confirms a subscription from its emailed link: once, within its time. */
export async function confirmSubscription(db: Database, token: string): Promise<void> {
	await transact(db, null, async (work) => {
		// Locked, so two uses of one link at once cannot both succeed.
		const row = await byToken(work.trx, token, true);
		const problem = confirmationProblem(row && { confirmedAt: row.confirmed_at, expiresAt: row.confirm_expires_at }, new Date());
		if (problem || !row) throw new ConfirmationUnusable(problem ?? 'unknown');
		await work.trx.updateTable('pcf_subscriber').set({ confirmed_at: new Date() }).where('id', '=', row.id).execute();
		await work.record({ action: 'pcf.subscriber_confirmed', subject: { type: 'pcf_subscriber', id: row.id }, summary: `confirmed ${row.district_name ?? COUNTY_NAME} editions by email` });
	});
}

/**
 * Deletes the subscription its key names (the address goes with it). Unsubscribing twice, or with
 * a key that names nothing, answers the same, so the key tells nobody whether it was ever used.
 */
export async function unsubscribe(db: Database, key: string): Promise<void> {
	if (!KEY_SHAPE.test(key)) return;
	await transact(db, null, async (work) => {
		const removed = await work.trx.deleteFrom('pcf_subscriber').where('unsubscribe_key', '=', key).returning('id').executeTakeFirst();
		if (removed) await work.record({ action: 'pcf.subscriber_removed', subject: { type: 'pcf_subscriber', id: removed.id }, summary: 'unsubscribed, and the address was deleted' });
	});
}
