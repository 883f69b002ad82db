import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import { sql } from 'kysely';
import type { Database } from './db';
import { log } from './log';
import type { ScheduledJob } from './jobs/scheduler';
import { messageOf } from './errors';

const FROM = process.env.MAIL_FROM ?? 'Oxfordshire SEND cluster portal <no-reply@portal.example>';

/** Messages claimed in one statement: one action's mail (a 200-setting district's headteachers) fits in one. */
export const MAIL_BATCH = 500;
/** A claim older than this belongs to an instance that died mid-batch; its messages are taken again. */
export const MAIL_CLAIM_TIMEOUT_S = 600;
/** After this many tries a message stays unsent with its error, for an officer to look into. */
export const MAIL_MOST_ATTEMPTS = 5;
/** How often the sweep looks for mail a failure released or a dead instance left claimed. */
export const MAIL_RETRY_INTERVAL_MS = 60_000;

export interface OutgoingMail {
	id: number;
	to_address: string;
	subject: string;
	body_text: string;
	transport: 'smtp' | 'log';
	/** One attachment (a calendar invitation), or none. */
	attachment_name?: string | null;
	attachment_type?: string | null;
	attachment_content?: string | null;
	/** The one-click unsubscribe address (RFC 8058) of a message to a subscriber, or none. */
	list_unsubscribe?: string | null;
}

export interface DeliveryOptions {
	/** How one message goes out; the default is SMTP or the log (below). Tests pass their own. */
	send?: (message: OutgoingMail) => Promise<void>;
	/** Names the claiming instance in `claimed_by` (a fresh token is added per batch). */
	instance?: string;
	/** Claim at most this many per statement. */
	batch?: number;
}

let transporter: Transporter | undefined;
function smtp(): Transporter | undefined {
	if (!process.env.SMTP_URL) return undefined;
	transporter ??= nodemailer.createTransport(process.env.SMTP_URL);
	return transporter;
}

/**
 * With SMTP_URL mail goes through that server; without it the message is written to the server
 * log and stays readable on the officers' outgoing-mail page, so a demo works with no mail server.
 */
async function sendOne(message: OutgoingMail): Promise<void> {
	const transport = message.transport === 'smtp' ? smtp() : undefined;
	if (transport) {
		const attachments = message.attachment_name
			? [{ filename: message.attachment_name, contentType: message.attachment_type ?? 'application/octet-stream', content: message.attachment_content ?? '' }]
			: undefined;
		// A subscriber's message says how to leave in its headers too (RFC 2369), by one POST (RFC 8058).
		const headers = message.list_unsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined;
		const list = message.list_unsubscribe ? { unsubscribe: message.list_unsubscribe } : undefined;
		await transport.sendMail({ from: FROM, to: message.to_address, subject: message.subject, text: message.body_text, attachments, headers, list });
	} else {
		// Deliberately logged in full: with no SMTP server the log is the mail channel.
		log.info({ mailId: message.id, subject: message.subject, body: message.body_text, attachment: message.attachment_name ?? undefined }, 'mail (no SMTP_URL set)');
	}
}

const INSTANCE = `${hostname()}:${process.pid}`;

/**
 * Sends mail already committed to the outbox, right after the commit that wrote it. A batch is
 * claimed in one statement, sent, and marked sent in one more (and failures released in one), so
 * an action that mails 200 people costs the same few statements as one that mails 5. A message
 * another instance has claimed is skipped, never sent twice; one whose claim went stale (its
 * instance died mid-batch) is taken again by the sweep (`retryMail`).
 */
export async function deliverMail(db: Database, ids: number[], options: DeliveryOptions = {}): Promise<number> {
	let sent = 0;
	const batch = options.batch ?? MAIL_BATCH;
	for (let start = 0; start < ids.length; start += batch) {
		sent += await deliverBatch(db, ids.slice(start, start + batch), options);
	}
	return sent;
}

/**
 * The sweep: sends whatever is still unsent and unclaimed (or stale), a batch at a time in id
 * order, each message at most once per sweep (a failure waits for the next); returns how many went.
 */
export async function retryMail(db: Database, options: DeliveryOptions = {}): Promise<number> {
	let sent = 0;
	let after = 0;
	for (;;) {
		const claimed = await claimBatch(db, { after }, options);
		if (claimed.rows.length === 0) return sent;
		sent += await sendClaimed(db, claimed, options);
		after = Math.max(...claimed.rows.map((row) => row.id));
	}
}

/** The scheduled job that runs the sweep once across all instances. */
export function mailRetryJob(options: DeliveryOptions = {}): ScheduledJob {
	return { name: 'mail.retry', intervalMs: MAIL_RETRY_INTERVAL_MS, run: async (db) => void (await retryMail(db, options)) };
}

async function deliverBatch(db: Database, ids: number[], options: DeliveryOptions): Promise<number> {
	if (ids.length === 0) return 0;
	return sendClaimed(db, await claimBatch(db, { ids }, options), options);
}

interface Claim {
	token: string;
	rows: OutgoingMail[];
}

/**
 * One statement: locks up to a batch of claimable messages (skipping rows another instance has
 * locked this moment), stamps them with this batch's token and counts the attempt. Claimable:
 * unsent, tried fewer than the most times, and unclaimed or claimed longer ago than the timeout.
 */
async function claimBatch(db: Database, which: { ids: number[] } | { after: number }, options: DeliveryOptions): Promise<Claim> {
	const token = `${options.instance ?? INSTANCE}:${randomUUID()}`;
	const only = 'ids' in which ? sql`and id = any(${which.ids}::int[])` : sql`and id > ${which.after}`;
	const { rows } = await sql<OutgoingMail>`
		update mail_outbox m
		set claimed_at = now(), claimed_by = ${token}, attempts = m.attempts + 1
		where m.id in (
			select id from mail_outbox
			where sent_at is null
				and attempts < ${MAIL_MOST_ATTEMPTS}
				and (claimed_at is null or claimed_at < now() - make_interval(secs => ${MAIL_CLAIM_TIMEOUT_S}))
				${only}
			order by id
			limit ${options.batch ?? MAIL_BATCH}
			for update skip locked
		)
		returning m.id, m.to_address, m.subject, m.body_text, m.transport, m.attachment_name, m.attachment_type, m.attachment_content, m.list_unsubscribe`.execute(db);
	return { token, rows: rows.sort((a, b) => a.id - b.id) };
}

/** Sends a claimed batch; marks what went in one statement and releases what failed in one more. */
async function sendClaimed(db: Database, claim: Claim, options: DeliveryOptions): Promise<number> {
	const send = options.send ?? sendOne;
	const sent: number[] = [];
	const failed: { id: number; error: string }[] = [];
	for (const message of claim.rows) {
		try {
			await send(message);
			sent.push(message.id);
		} catch (error) {
			const text = messageOf(error).slice(0, 500);
			log.error({ mailId: message.id, err: text }, 'mail delivery failed');
			failed.push({ id: message.id, error: text });
		}
	}
	// Only this batch's claim is marked: had it gone stale and been taken again, the new claim stands.
	if (sent.length) {
		await sql`
			update mail_outbox set sent_at = now(), error = null, claimed_at = null
			where id = any(${sent}::int[]) and claimed_by = ${claim.token}`.execute(db);
	}
	// Released at once for the sweep to try again (its interval is the pause between tries).
	if (failed.length) {
		await sql`
			update mail_outbox m set error = f.error, claimed_at = null, claimed_by = null
			from unnest(${failed.map((f) => f.id)}::int[], ${failed.map((f) => f.error)}::text[]) as f(id, error)
			where m.id = f.id and m.claimed_by = ${claim.token}`.execute(db);
	}
	return sent.length;
}
