import { sql } from 'kysely';
import type { Database } from '../db';
import { pastCursor, readPage, type KeysetStep, type PageCursor } from '../keyset';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { notFound } from '../errors';
import { transact } from '../work';
import { userRoom } from '$lib/live/rooms';

export async function unreadCount(db: Database, actor: Actor): Promise<number> {
	const row = await db
		.selectFrom('notification')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', actor.id)
		.where('read_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export const NOTIFICATIONS_PAGE_SIZE = 50;

/** The person's notifications, newest first, a page at a time. */
export async function listNotifications(db: Database, actor: Actor, cursor: PageCursor = null) {
	const page = await readPage(cursor, 'desc', NOTIFICATIONS_PAGE_SIZE, (step, limit) => notificationsQuery(db, actor.id, step, limit).execute());
	return {
		...page,
		rows: page.rows.map((row) => ({
			...row,
			created_at: row.created_at.toISOString(),
			read_at: row.read_at?.toISOString() ?? null
		}))
	};
}

/** One person's notifications (the index `notification_user_newest` serves it), exported for its query-plan test. */
export function notificationsQuery(db: Database, userId: number, step: KeysetStep, limit: number) {
	let query = db
		.selectFrom('notification as n')
		.select(['n.id', 'n.kind', 'n.title', 'n.body', 'n.link', 'n.created_at', 'n.read_at'])
		.where('n.user_id', '=', userId)
		.orderBy('n.created_at', step.order)
		.orderBy('n.id', step.order)
		.limit(limit);
	// The cursor row must be the reader's own, or its time would tell them about someone else's notice.
	const past = pastCursor(step, sql`(n.created_at, n.id)`, (id) => sql`select k.created_at, k.id from notification k where k.id = ${id} and k.user_id = ${userId}`);
	if (past) query = query.where(past);
	return query;
}

export async function markRead(db: Database, actor: Actor, notificationId: number): Promise<void> {
	await transact(db, actor.id, async (work) => {
		const notification = await work.trx
			.selectFrom('notification')
			.select(['id', 'user_id', 'read_at'])
			.where('id', '=', notificationId)
			.forUpdate()
			.executeTakeFirst();
		if (!notification) throw notFound('That notification');
		assertCan(actor, { action: 'notification.update', notification });
		if (notification.read_at) return;
		await work.trx.updateTable('notification').set({ read_at: new Date() }).where('id', '=', notificationId).execute();
		await work.publish(userRoom(actor.id), 'notification.read', { notificationId });
	});
}

export async function markAllRead(db: Database, actor: Actor): Promise<number> {
	return transact(db, actor.id, async (work) => {
		const result = await work.trx
			.updateTable('notification')
			.set({ read_at: new Date() })
			.where('user_id', '=', actor.id)
			.where('read_at', 'is', null)
			.executeTakeFirst();
		const changed = Number(result.numUpdatedRows);
		if (changed > 0) await work.publish(userRoom(actor.id), 'notification.read', { notificationId: null });
		return changed;
	});
}
