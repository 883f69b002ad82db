import { sql } from 'kysely';
import type { Database } from '../db';
import type { ScheduledJob } from '../jobs/scheduler';
import { log } from '../log';
import { absoluteUrl } from '../origin';
import { RETENTION_BATCH } from '../retention';

// The discussions' two scheduled jobs, run once across instances by the job runner. The digest:
// mentions and replies are notifications in the portal at once, and by email only in one daily
// digest of those still unread (volunteers are not mailed comment by comment). Retention: a
// deleted comment's marker goes once nothing replies to it, and a thread with no comments goes.

export const DIGEST_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** How long a deleted comment's marker stays (its text and history went when it was deleted). */
export const DELETED_MARKER_DAYS = 30;
export const DIGEST_KINDS = ['discussion.mention', 'discussion.reply'] as const;
const DIGEST_MOST = 50;

/** Sends each person one email of their unread mentions and replies since their last digest; returns how many were sent. */
export async function sendDigests(db: Database, now = new Date()): Promise<number> {
	const people = await db
		.selectFrom('notification as n')
		.innerJoin('app_user as u', 'u.id', 'n.user_id')
		.leftJoin('discussion_digest as g', 'g.user_id', 'n.user_id')
		.select(['n.user_id', 'u.email'])
		.where('n.kind', 'in', DIGEST_KINDS)
		.where('n.read_at', 'is', null)
		.where('u.is_active', '=', true)
		.where('n.created_at', '<=', now)
		.where((eb) => eb.or([eb('g.sent_up_to', 'is', null), eb('n.created_at', '>', eb.ref('g.sent_up_to'))]))
		.groupBy(['n.user_id', 'u.email'])
		.execute();
	let sent = 0;
	for (const person of people) {
		// Each person's digest in its own short transaction: the mail and the mark that it went, together.
		const done = await db.transaction().execute(async (trx) => {
			const mark = await trx
				.insertInto('discussion_digest')
				.values({ user_id: person.user_id, sent_up_to: sql<Date>`'-infinity'::timestamptz` })
				.onConflict((oc) => oc.column('user_id').doUpdateSet({ user_id: person.user_id }))
				.returning('sent_up_to')
				.executeTakeFirstOrThrow();
			const items = await trx
				.selectFrom('notification')
				.select(['title', 'link'])
				.where('user_id', '=', person.user_id)
				.where('kind', 'in', DIGEST_KINDS)
				.where('read_at', 'is', null)
				.where('created_at', '>', mark.sent_up_to)
				.where('created_at', '<=', now)
				.orderBy('created_at')
				.orderBy('id')
				.limit(DIGEST_MOST)
				.execute();
			await trx.updateTable('discussion_digest').set({ sent_up_to: now }).where('user_id', '=', person.user_id).execute();
			if (items.length === 0) return false;
			const lines = items.map((item) => `- ${item.title}${item.link ? `\n  ${absoluteUrl(item.link)}` : ''}`);
			await trx
				.insertInto('mail_outbox')
				.values({
					to_address: person.email,
					subject: items.length === 1 ? 'A comment for you in the SEND cluster portal' : `${items.length} comments for you in the SEND cluster portal`,
					body_text: `Since your last digest:\n\n${lines.join('\n\n')}\n\nOpen the portal to read and reply. You get this email once a day at most.`,
					transport: process.env.SMTP_URL ? 'smtp' : 'log'
				})
				.execute();
			return true;
		});
		if (done) sent += 1;
	}
	return sent;
}

export function discussionDigestJob(): ScheduledJob {
	return {
		name: 'discussions.digest',
		intervalMs: DIGEST_INTERVAL_MS,
		async run(db) {
			const sent = await sendDigests(db);
			log.info({ sent }, 'discussions: digests queued');
		}
	};
}

/** The retention rule for threads; returns the rows removed. */
export async function sweepDiscussions(db: Database, now = new Date(), batch = RETENTION_BATCH): Promise<{ comments: number; discussions: number }> {
	const cutoff = new Date(now.getTime() - DELETED_MARKER_DAYS * 24 * 60 * 60 * 1000);
	let comments = 0;
	for (;;) {
		const result = await sql`delete from discussion_comment where id in (
			select c.id from discussion_comment c where c.deleted_at < ${cutoff}::timestamptz
			and not exists (select 1 from discussion_comment r where r.parent_id = c.id) limit ${batch}
		)`.execute(db);
		const deleted = Number(result.numAffectedRows ?? 0);
		comments += deleted;
		if (deleted < batch) break;
	}
	const gone = await sql`delete from discussion d where not exists (select 1 from discussion_comment c where c.discussion_id = d.id)
		and d.last_comment_at < ${cutoff}::timestamptz`.execute(db);
	return { comments, discussions: Number(gone.numAffectedRows ?? 0) };
}

export function discussionRetentionJob(): ScheduledJob {
	return {
		name: 'discussions.retention',
		intervalMs: DIGEST_INTERVAL_MS,
		async run(db) {
			log.info({ deleted: await sweepDiscussions(db) }, 'discussions: old markers deleted');
		}
	};
}
