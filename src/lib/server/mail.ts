import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from './db';
import { log } from './log';
import { messageOf } from './errors';

const FROM = process.env.MAIL_FROM ?? 'Oxfordshire SEND cluster portal <no-reply@portal.example>';

let transporter: Transporter | undefined;
function smtp(): Transporter | undefined {
	if (!process.env.SMTP_URL) return undefined;
	transporter ??= nodemailer.createTransport(process.env.SMTP_URL);
	return transporter;
}

/**
 * Sends mail already committed to the outbox. With SMTP_URL it goes through that server;
 * without it the message is written to the server log and stays readable on the
 * officers' outgoing-mail page, so a demo works with no mail server.
 */
export async function deliverMail(db: Database, ids: number[]): Promise<void> {
	if (ids.length === 0) return;
	const messages = await db
		.selectFrom('mail_outbox')
		.selectAll()
		.where('id', 'in', ids)
		.where('sent_at', 'is', null)
		.execute();
	for (const message of messages) {
		const transport = message.transport === 'smtp' ? smtp() : undefined;
		try {
			if (transport) {
				await transport.sendMail({ from: FROM, to: message.to_address, subject: message.subject, text: message.body_text });
			} else {
				// Deliberately logged in full: with no SMTP server the log is the mail channel.
				log.info({ mailId: message.id, subject: message.subject, body: message.body_text }, 'mail (no SMTP_URL set)');
			}
			await db.updateTable('mail_outbox').set({ sent_at: new Date(), error: null }).where('id', '=', message.id).execute();
		} catch (error) {
			log.error({ mailId: message.id, err: messageOf(error) }, 'mail delivery failed');
			await db
				.updateTable('mail_outbox')
				.set({ error: messageOf(error).slice(0, 500) })
				.where('id', '=', message.id)
				.execute();
		}
	}
}
