import { z } from 'zod';
import { router, signedInProcedure } from '../procedures';
import { idSchema } from '$lib/schemas/common';
import { listNotifications, markAllRead, markRead, unreadCount } from '../../notifications';

export const notificationsRouter = router({
	unreadCount: signedInProcedure.query(({ ctx }) => unreadCount(ctx.db, ctx.actor)),
	list: signedInProcedure
		.input(z.object({ limit: z.number().int().min(1).max(100).default(50) }).optional())
		.query(({ ctx, input }) => listNotifications(ctx.db, ctx.actor, input?.limit)),
	markRead: signedInProcedure
		.input(z.object({ notificationId: idSchema() }))
		.mutation(({ ctx, input }) => markRead(ctx.db, ctx.actor, input.notificationId)),
	markAllRead: signedInProcedure.mutation(({ ctx }) => markAllRead(ctx.db, ctx.actor))
});
