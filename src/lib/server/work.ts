import type { Transaction } from 'kysely';
import type { Database, DB } from './db';
import { recordLiveEvents, type UnnumberedEvent } from './live/outbox';
import { currentHub } from './live/hub';
import { claimFormToken, recordFormResult } from './form-posts';
import { forgetStale } from './live/stale';
import { absoluteUrl } from './origin';
import type { LiveEnvelope, LiveEventKind, LiveEventPayloads, RoomName } from '$lib/live/events';
import { clusterRoom, userRoom } from '$lib/live/rooms';

export interface AuditEntry {
	action: string;
	subjectType: string;
	subjectId: number;
	reason?: string | null;
	detail?: Record<string, unknown>;
}

export interface NotificationDraft {
	kind: string;
	title: string;
	body?: string;
	link?: string | null;
	/** Also send an email (delivered after commit; logged when no SMTP server is configured). */
	email?: boolean;
}

/** A live event as a command queues it: sent to the room's members after commit. */
export type QueuedEvent = { [K in LiveEventKind]: { room: RoomName; kind: K; payload: LiveEventPayloads[K] } }[LiveEventKind];

/** What `work.record` writes: one decision or change, said once. */
export interface Happened {
	/** A stable name for the kind of decision (`bid.submitted`); timelines and filters key on it. */
	action: string;
	subject: { type: string; id: number };
	/** What happened, in words for people ("Signed off and submitted the bid"). Shown on timelines as written. */
	summary: string;
	/** Why, when the person gave a reason (every decision asks for one). */
	reason?: string | null;
	/** Facts kept for later reading (ids involved, the version); never personal data beyond what the summary says. */
	detail?: Record<string, unknown>;
	/** A line in this cluster's feed (and its district's); the summary unless told otherwise. */
	activity?: { clusterId: number; link?: string | null; verb?: string; summary?: string };
	/** Tell these people (never the actor); title defaults to the summary, link to the activity's. */
	notify?: { userIds: number[]; title?: string; body?: string; link?: string | null; kind?: string; email?: boolean };
	/** Live events for the rooms whose pages show this change. */
	events?: QueuedEvent[];
}

/**
 * One user action = one transaction. Everything the action causes (audit entries, activity,
 * notifications, mail, live events) is written in the same transaction, and events and mail go
 * out only after it commits, so nobody hears about something that was rolled back.
 */
export class Work {
	readonly events: LiveEnvelope[] = [];
	readonly mailIds: number[] = [];
	readonly disconnectUserIds: number[] = [];
	readonly endedSessionIds: string[] = [];

	constructor(
		readonly trx: Transaction<DB>,
		public actorId: number | null
	) {}

	/**
	 * The rest of this action is done by this person: accepting an invitation creates the account
	 * that accepts it, inside the action. One Work, so its events keep their sorted room locking.
	 */
	actAs(userId: number): void {
		this.actorId = userId;
	}

	#pending: UnnumberedEvent[] = [];

	/** Queues a live event; it is numbered and stored when the action's work is done (see flush). */
	async publish<K extends LiveEventKind>(room: RoomName, kind: K, payload: LiveEventPayloads[K]): Promise<void> {
		this.#pending.push({ room, kind, payload });
	}

	/**
	 * Numbers and stores the queued events, still inside the transaction, in two statements however
	 * many there are (see recordLiveEvents). Sorted by room, each room's in the order queued, so
	 * the room counters are locked in one order and only for the end of the transaction.
	 */
	async flush(): Promise<void> {
		const queued = this.#pending.map((event, order) => ({ event, order }));
		queued.sort((a, b) => (a.event.room < b.event.room ? -1 : a.event.room > b.event.room ? 1 : a.order - b.order));
		this.events.push(...(await recordLiveEvents(this.trx, queued.map(({ event }) => event))));
		this.#pending = [];
	}

	/** Who did what, when and why: every decision lands here. */
	async audit(entry: AuditEntry): Promise<void> {
		await this.trx
			.insertInto('audit_log')
			.values({
				actor_id: this.actorId,
				action: entry.action,
				subject_type: entry.subjectType,
				subject_id: entry.subjectId,
				reason: entry.reason ?? null,
				detail: JSON.stringify(entry.detail ?? {})
			})
			.execute();
	}

	/** A line in a workspace's feed; a locality's activity also shows in its district's feed. */
	async activity(entry: { clusterId: number; verb: string; summary: string; link?: string | null }): Promise<number> {
		const { id } = await this.trx
			.insertInto('activity')
			.values({
				cluster_id: entry.clusterId,
				actor_id: this.actorId,
				verb: entry.verb,
				summary: entry.summary,
				link: entry.link ?? null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const cluster = await this.trx
			.selectFrom('cluster')
			.select('parent_id')
			.where('id', '=', entry.clusterId)
			.executeTakeFirstOrThrow();
		for (const roomClusterId of [entry.clusterId, cluster.parent_id]) {
			if (roomClusterId === null) continue;
			await this.publish(clusterRoom(roomClusterId), 'activity.created', { activityId: id, clusterId: entry.clusterId });
		}
		return id;
	}

	/**
	 * Tells these people (never the actor), set-based: one insert of their notifications, one
	 * insert of their mail (selected from their accounts), and one live event in each person's own
	 * room, stored with the action's other events in flush's two statements. However many people
	 * are told, the statements are the same.
	 */
	async notify(userIds: number[], draft: NotificationDraft): Promise<void> {
		const recipients = [...new Set(userIds)].filter((id) => id !== this.actorId);
		if (recipients.length === 0) return;
		const rows = await this.trx
			.insertInto('notification')
			.values(
				recipients.map((userId) => ({
					user_id: userId,
					kind: draft.kind,
					title: draft.title,
					body: draft.body ?? '',
					link: draft.link ?? null
				}))
			)
			.returning(['id', 'user_id'])
			.execute();
		for (const row of rows) this.#pending.push({ room: userRoom(row.user_id), kind: 'notification.created', payload: { notificationId: row.id } });
		if (!draft.email) return;
		const text = `${draft.body ?? ''}\n\n${draft.link ? `Open it in the portal: ${absoluteUrl(draft.link)}` : ''}`.trim();
		const mailed = await this.trx
			.insertInto('mail_outbox')
			.columns(['to_address', 'subject', 'body_text', 'transport'])
			.expression((eb) =>
				eb
					.selectFrom('app_user')
					.select((inner) => ['email', inner.val(draft.title).as('subject'), inner.val(text).as('body_text'), inner.val(mailTransport()).as('transport')])
					.where('id', 'in', recipients)
					.where('is_active', '=', true)
					.orderBy('id')
			)
			.returning('id')
			.execute();
		this.mailIds.push(...mailed.map((row) => row.id));
	}

	/**
	 * Records what happened, once, in the action's transaction: the audit entry (who, when, why, and
	 * its summary in words for people, written here and nowhere else), the workspace feed's line,
	 * the notifications (and mail) and the live events. Timelines render the summary as written.
	 */
	async record(happened: Happened): Promise<void> {
		const { action, subject, summary, reason, detail, activity, notify, events } = happened;
		await this.audit({ action, subjectType: subject.type, subjectId: subject.id, reason, detail: { ...detail, summary } });
		if (activity) {
			await this.activity({ clusterId: activity.clusterId, verb: activity.verb ?? action, summary: activity.summary ?? summary, link: activity.link });
		}
		if (notify && notify.userIds.length) {
			await this.notify(notify.userIds, {
				kind: notify.kind ?? action,
				title: notify.title ?? summary,
				body: notify.body,
				link: notify.link ?? activity?.link ?? null,
				email: notify.email
			});
		}
		for (const event of events ?? []) await this.publish(event.room, event.kind, event.payload);
	}

	/** After commit, close this person's live connections so they reconnect with their new rights (or not at all). */
	disconnectUser(userId: number): void {
		this.disconnectUserIds.push(userId);
	}

	/** After commit, close the live connections opened with this session (it was ended in this transaction). */
	disconnectSession(sessionId: string): void {
		this.endedSessionIds.push(sessionId);
	}

	async mail(message: { to: string; subject: string; text: string; attachment?: { name: string; type: string; content: string }; listUnsubscribe?: string }): Promise<void> {
		const { id } = await this.trx
			.insertInto('mail_outbox')
			.values({
				to_address: message.to,
				subject: message.subject,
				body_text: message.text,
				attachment_name: message.attachment?.name ?? null,
				attachment_type: message.attachment?.type ?? null,
				attachment_content: message.attachment?.content ?? null,
				list_unsubscribe: message.listUnsubscribe ?? null,
				transport: mailTransport()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		this.mailIds.push(id);
	}
}

/** With SMTP_URL mail goes through that server; without it, to the log (see mail.ts). */
export const mailTransport = (): 'smtp' | 'log' => (process.env.SMTP_URL ? 'smtp' : 'log');

export { absoluteUrl } from './origin';

export async function transact<T>(db: Database, actorId: number | null, action: (work: Work) => Promise<T>): Promise<T> {
	let work: Work | undefined;
	const result = await db.transaction().execute(async (trx) => {
		// A repeated form post gets the first post's result and does nothing (see form-posts.ts).
		// The result comes back through JSON: dates as text, which no form action reads. Cast: the
		// stored result is what this same action returned, keyed by its token; JSON cannot carry its type.
		const claim = await claimFormToken(trx);
		if (claim?.repeat) return claim.result as T;
		work = new Work(trx, actorId);
		const result = await action(work);
		await work.flush();
		await recordFormResult(trx, result);
		return result;
	});
	// Each event kind declares what it makes stale; other instances forget the same on relay.
	if (work) forgetStale(db, { events: work.events, userIds: work.disconnectUserIds, sessionIds: work.endedSessionIds });
	const hub = currentHub();
	if (hub && work) {
		if (work.events.length) hub.emit(work.events);
		if (work.mailIds.length) hub.deliverMail(work.mailIds);
		if (work.disconnectUserIds.length) hub.disconnectUsers(work.disconnectUserIds);
		if (work.endedSessionIds.length) hub.disconnectSessions(work.endedSessionIds);
	}
	return result;
}
