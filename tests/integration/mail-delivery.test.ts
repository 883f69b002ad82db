import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { countingStatements } from './statements';
import type { Database } from '../../src/lib/server/db';
import { deliverMail, MAIL_CLAIM_TIMEOUT_S, MAIL_MOST_ATTEMPTS, mailRetryJob, retryMail, type OutgoingMail } from '../../src/lib/server/mail';
import { runIfDue } from '../../src/lib/server/jobs/scheduler';

// Mail goes out after the commit that wrote it, claimed a batch at a time. These tests hold it to
// what that promises: two instances never send one message twice, a batch an instance dropped
// mid-way (it died) is sent by another once its claim is stale, a failure is tried again up to a
// limit, and the statements do not grow with the number of messages.

let test: TestDatabase;
let db: Database;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
});
afterAll(() => test?.close());
beforeEach(async () => {
	await db.deleteFrom('mail_outbox').execute();
});

async function outbox(count: number): Promise<number[]> {
	const rows = await db
		.insertInto('mail_outbox')
		.values(Array.from({ length: count }, (_, i) => ({ to_address: `head${i}@mail.test`, subject: `Bid submitted ${i}`, body_text: 'Open it in the portal', transport: 'log' as const })))
		.returning('id')
		.execute();
	return rows.map((row) => row.id);
}

/** A mail channel that records what it was given, taking a moment per message like a real server. */
function channel(pauseMs = 0) {
	const sent: number[] = [];
	return {
		sent,
		send: async (message: OutgoingMail) => {
			if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
			sent.push(message.id);
		}
	};
}

const rows = () => db.selectFrom('mail_outbox').select(['id', 'sent_at', 'attempts', 'claimed_at', 'error']).orderBy('id').execute();

describe('mail delivery after commit', () => {
	it('sends each message once when two instances and the sweep claim the same messages at the same time', async () => {
		const ids = await outbox(300);
		const [first, second, sweep] = [channel(1), channel(1), channel(1)];
		// Small batches, so the claimers take turns and really meet on the same rows.
		const sentCounts = await Promise.all([
			deliverMail(db, ids, { send: first.send, instance: 'first', batch: 20 }),
			deliverMail(db, [...ids].reverse(), { send: second.send, instance: 'second', batch: 20 }),
			retryMail(db, { send: sweep.send, instance: 'sweep', batch: 20 })
		]);
		const all = [...first.sent, ...second.sent, ...sweep.sent];
		expect(new Set(all).size).toBe(all.length);
		expect(all.sort((a, b) => a - b)).toEqual(ids);
		expect(sentCounts.reduce((a, b) => a + b, 0)).toBe(300);
		// More than one claimer did some of the work (or the test proves nothing about sharing).
		expect([first, second, sweep].filter((c) => c.sent.length > 0).length).toBeGreaterThan(1);
		for (const row of await rows()) {
			expect(row.sent_at).not.toBeNull();
			expect(row.attempts).toBe(1);
			expect(row.claimed_at).toBeNull();
		}
	});

	it('does not send a message another instance has claimed, until that claim is stale; then the sweep sends it', async () => {
		const ids = await outbox(30);
		// An instance claims the batch and dies before sending: its send never finishes.
		const dying = deliverMail(db, ids, { send: () => new Promise<void>(() => undefined), instance: 'dying' });
		await expect.poll(async () => (await rows()).filter((row) => row.claimed_at !== null).length).toBe(30);
		const other = channel();
		expect(await retryMail(db, { send: other.send, instance: 'other' })).toBe(0);
		expect(await deliverMail(db, ids, { send: other.send, instance: 'other' })).toBe(0);
		expect(other.sent).toEqual([]);
		// Time passes beyond the claim timeout.
		await sql`update mail_outbox set claimed_at = claimed_at - make_interval(secs => ${MAIL_CLAIM_TIMEOUT_S + 1})`.execute(db);
		expect(await retryMail(db, { send: other.send, instance: 'other' })).toBe(30);
		expect(other.sent).toEqual(ids);
		for (const row of await rows()) {
			expect(row.sent_at).not.toBeNull();
			expect(row.attempts).toBe(2);
		}
		void dying;
	});

	it('releases a failed message with its error, tries it again on the next sweep, and stops after the most attempts', async () => {
		const [good, bad] = await outbox(2);
		const refused = new Set([bad]);
		const send = async (message: OutgoingMail) => {
			if (refused.has(message.id)) throw new Error('550 mailbox unavailable');
		};
		expect(await deliverMail(db, [good, bad], { send })).toBe(1);
		let [goodRow, badRow] = await rows();
		expect(goodRow.sent_at).not.toBeNull();
		expect(badRow).toMatchObject({ sent_at: null, claimed_at: null, attempts: 1, error: '550 mailbox unavailable' });
		// One try per sweep, not all of them at once.
		await retryMail(db, { send });
		expect((await rows())[1].attempts).toBe(2);
		for (let sweep = 2; sweep < MAIL_MOST_ATTEMPTS + 2; sweep++) await retryMail(db, { send });
		[goodRow, badRow] = await rows();
		expect(badRow).toMatchObject({ sent_at: null, attempts: MAIL_MOST_ATTEMPTS });
		// Mended before the limit, a message goes out and its error is cleared.
		await db.updateTable('mail_outbox').set({ attempts: MAIL_MOST_ATTEMPTS - 1 }).where('id', '=', bad).execute();
		refused.clear();
		expect(await retryMail(db, { send })).toBe(1);
		expect((await rows())[1]).toMatchObject({ error: null, attempts: MAIL_MOST_ATTEMPTS });
		expect((await rows())[1].sent_at).not.toBeNull();
	});

	it('sends, as a scheduled job once across instances, mail committed by an instance that died before delivering it', async () => {
		const ids = await outbox(3);
		const [one, two] = [channel(), channel()];
		const ran = await Promise.all([runIfDue(db, mailRetryJob({ send: one.send })), runIfDue(db, mailRetryJob({ send: two.send }))]);
		expect(ran.filter(Boolean)).toHaveLength(1);
		expect([...one.sent, ...two.sent]).toEqual(ids);
	});

	it('takes the same few statements for 5 messages as for 200', async () => {
		const statementsFor = async (count: number) => {
			const ids = await outbox(count);
			const counted = countingStatements(db);
			const sent = await deliverMail(counted.db, ids, { send: channel().send });
			expect(sent).toBe(count);
			return counted.count();
		};
		const few = await statementsFor(5);
		const many = await statementsFor(200);
		expect(many).toBe(few);
		expect(many).toBe(2);
	});
});
