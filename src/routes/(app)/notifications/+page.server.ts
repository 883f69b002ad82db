import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, forPage } from '$lib/server/pages';
import { listNotifications, markAllRead, markRead, unreadCount } from '$lib/server/notifications';
import { NEWEST_FIRST_KEY, readCursor } from '$lib/server/paging';
import { idFromText } from '$lib/schemas/common';
import { textOf } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const [list, unread] = await Promise.all([listNotifications(db, actor, readCursor(url.searchParams.get('page'), NEWEST_FIRST_KEY)), unreadCount(db, actor)]);
	return { notifications: list.items, pages: { previous: list.previous, next: list.next }, unread };
};

export const actions: Actions = {
	read: async ({ locals, url, request }) => {
		const actor = requireActor(locals, url);
		const id = idFromText(textOf(await request.formData(), 'notificationId'));
		if (id === null) return fail(400, { message: 'That notification could not be found.' });
		const { db } = await portal();
		await forPage(markRead(db, actor, id));
		return { done: true };
	},
	readAll: async ({ locals, url }) => {
		const actor = requireActor(locals, url);
		const { db } = await portal();
		await markAllRead(db, actor);
		return { done: true };
	}
};
