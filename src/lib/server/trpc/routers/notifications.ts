import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { pageInput } from '$lib/schemas/pages';
import { parseCursor, NEWEST_FIRST_KEY } from '../../paging';
import { listNotifications, markAllRead, markRead, unreadCount } from '../../notifications';

export const notificationsRouter = router({
	unreadCount: signedInProcedure.query(({ ctx }) => unreadCount(ctx.db, ctx.actor)),
	list: signedInProcedure
		.input(pageInput)
		.query(({ ctx, input }) => listNotifications(ctx.db, ctx.actor, parseCursor(input?.cursor, NEWEST_FIRST_KEY))),
	markRead: signedInProcedure
		.input(z.object({ notificationId: idSchema() }))
		.mutation(({ ctx, input }) => markRead(ctx.db, ctx.actor, input.notificationId)),
	markAllRead: signedInProcedure.mutation(({ ctx }) => markAllRead(ctx.db, ctx.actor))
});
