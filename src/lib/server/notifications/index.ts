import type { Database } from '../db';
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

export async function listNotifications(db: Database, actor: Actor, limit = 50) {
	const rows = await db
		.selectFrom('notification')
		.select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
		.where('user_id', '=', actor.id)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((row) => ({
		...row,
		created_at: row.created_at.toISOString(),
		read_at: row.read_at?.toISOString() ?? null
	}));
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
