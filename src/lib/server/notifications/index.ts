import type { Database } from '../db';
import { keysetPage, newestFirst, pageQuery, timeKey, type Cursor } from '../paging';
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
export async function listNotifications(db: Database, actor: Actor, cursor: Cursor | null = null) {
	const page = await keysetPage(notificationsOf(db, actor.id), newestFirst('n', cursor, NOTIFICATIONS_PAGE_SIZE));
	return {
		...page,
		items: page.items.map((row) => ({
			id: row.id,
			kind: row.kind,
			title: row.title,
			body: row.body,
			link: row.link,
			created_at: row.created_at.toISOString(),
			read_at: row.read_at?.toISOString() ?? null
		}))
	};
}

/** One person's notifications page (the index `notification_user_newest` serves it), exported for its query-plan test. */
export const notificationsQuery = (db: Database, userId: number, cursor: Cursor | null) => pageQuery(notificationsOf(db, userId), newestFirst('n', cursor, NOTIFICATIONS_PAGE_SIZE));

// A cursor only positions the reader in their own list: it names a time and an id they have seen,
// and every row shown is theirs whatever it says.
function notificationsOf(db: Database, userId: number) {
	return db
		.selectFrom('notification as n')
		.select(['n.id', 'n.kind', 'n.title', 'n.body', 'n.link', 'n.created_at', 'n.read_at', timeKey('n.created_at')])
		.where('n.user_id', '=', userId);
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
