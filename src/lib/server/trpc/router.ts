import { router } from './procedures';
import { workspaceRouter } from './routers/workspace';
import { notificationsRouter } from './routers/notifications';

/** One router per resource, merged here. */
export const appRouter = router({
	workspace: workspaceRouter,
	notifications: notificationsRouter
});

export type AppRouter = typeof appRouter;
