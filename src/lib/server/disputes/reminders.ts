import { sql } from 'kysely';
import type { Database } from '../db';
import type { ScheduledJob } from '../jobs/scheduler';
import { generateToken, hashToken } from '../auth/session';
import { log } from '../log';
import { messageOf } from '../errors';
import { transact, absoluteUrl } from '../work';

// Reminders before a meeting poll closes, run once across all instances by the scheduler: each
// member asked who may still sit (in the pool, no conflict, not an adviser on the case) and has not
// answered every slot is emailed once, a set time before the poll closes (48 hours unless
// DISPUTES_POLL_REMINDER_HOURS says otherwise), with their answer link issued afresh (only its hash
// is kept, so the old one stops working). One statement claims everyone due (marking
// `reminded_at`), so a second run, or a second instance, finds no one. By case reference only.

export const REMINDER_INTERVAL_MS = 60 * 60 * 1000;
export const DEFAULT_REMINDER_HOURS = 48;

/** How long before a poll closes its members are reminded, from DISPUTES_POLL_REMINDER_HOURS (hours). */
export function reminderLeadFromEnv(env: Record<string, string | undefined> = process.env): number {
	const raw = env.DISPUTES_POLL_REMINDER_HOURS?.trim();
	const hours = raw ? Number(raw) : DEFAULT_REMINDER_HOURS;
	if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 60) {
		throw new Error(`DISPUTES_POLL_REMINDER_HOURS must be a number of hours above 0 and at most 1440 (default ${DEFAULT_REMINDER_HOURS}); it is "${raw}".`);
	}
	return hours * 60 * 60 * 1000;
}

interface Due {
	poll_id: number;
	case_id: number;
	user_id: number;
	email: string;
	reference: string;
	closes_at: Date;
}

/** Reminds every member due a reminder, in one transaction; how many were reminded. */
export async function remindPollMembers(db: Database, now = new Date(), leadMs = DEFAULT_REMINDER_HOURS * 60 * 60 * 1000): Promise<number> {
	const until = new Date(now.getTime() + leadMs);
	return transact(db, null, async (work) => {
		// Set-based: who is due is found and marked in one statement. Under READ COMMITTED a run
		// racing this one waits on the rows and then sees reminded_at set, so it skips them.
		const due = await sql<Due>`
			update dispute_poll_link l
			set reminded_at = ${now}
			from dispute_poll p
			join dispute_case c on c.id = p.case_id
			join app_user u on true
			where l.poll_id = p.id
				and u.id = l.user_id
				and u.is_active
				and l.reminded_at is null
				and p.closes_at > ${now}
				and p.closes_at <= ${until}
				and p.booked_slot_id is null
				and p.cancelled_at is null
				and c.status = 'scheduling'
				and exists (select 1 from dispute_member m where m.district_id = c.district_id and m.user_id = l.user_id and m.active)
				and not exists (select 1 from dispute_conflict k where k.case_id = p.case_id and k.user_id = l.user_id)
				and not exists (select 1 from dispute_adviser v where v.case_id = p.case_id and v.user_id = l.user_id)
				and (select count(*) from dispute_answer a join dispute_slot s on s.id = a.slot_id where s.poll_id = p.id and a.user_id = l.user_id)
					< (select count(*) from dispute_slot s where s.poll_id = p.id)
			returning l.poll_id, p.case_id, l.user_id, u.email, c.reference, p.closes_at`.execute(work.trx);
		const byPoll = new Map<number, Due[]>();
		for (const row of due.rows) byPoll.set(row.poll_id, [...(byPoll.get(row.poll_id) ?? []), row]);
		for (const [pollId, members] of byPoll) {
			const { case_id: caseId, reference, closes_at: closesAt } = members[0];
			const closes = closesAt.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' });
			for (const member of members) {
				const token = generateToken();
				await work.trx.updateTable('dispute_poll_link').set({ token_hash: hashToken(token) }).where('poll_id', '=', pollId).where('user_id', '=', member.user_id).execute();
				await work.mail({
					to: member.email,
					subject: `Reminder: panel meeting dates for ${reference}`,
					text:
						`The poll for the dispute-resolution panel meeting for case ${reference} closes on ${closes} (London time), and you have not answered every proposed time yet.\n\n` +
						`Answer yes, if need be or no for each time here:\n\n${absoluteUrl(`/panel-answer/${token}`)}\n\n` +
						`This link replaces the one you were sent before, which no longer works, and is yours alone: anyone holding it can answer as you. ` +
						`You can also answer from your polls page: ${absoluteUrl('/disputes/polls')}`
				});
			}
			await work.record({
				action: 'disputes.poll_reminded',
				subject: { type: 'dispute_case', id: caseId },
				summary: `Reminded ${members.length} panel member${members.length === 1 ? '' : 's'} to answer the meeting poll for ${reference} before it closes`,
				detail: { pollId, reminded: members.map((m) => m.user_id) },
				notify: { userIds: members.map((m) => m.user_id), title: `Reminder: answer the meeting poll for ${reference}`, link: `/disputes/polls/${pollId}`, kind: 'disputes.poll_reminder', email: false }
			});
		}
		return due.rows.length;
	});
}

export function pollReminderJob(leadMs: number = reminderLeadFromEnv()): ScheduledJob {
	return {
		name: 'disputes-poll-reminders',
		intervalMs: REMINDER_INTERVAL_MS,
		async run(db) {
			try {
				const reminded = await remindPollMembers(db, new Date(), leadMs);
				log.info({ reminded }, 'disputes: meeting poll reminders sent');
			} catch (error) {
				log.error({ err: messageOf(error) }, 'disputes: meeting poll reminders failed');
				throw error;
			}
		}
	};
}
