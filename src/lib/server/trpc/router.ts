import { router } from './procedures';
import { workspaceRouter } from './routers/workspace';
import { peopleRouter } from './routers/people';
import { notificationsRouter } from './routers/notifications';
import { clustersRouter } from './routers/clusters';
import { bidsRouter } from './routers/bids';
import { pickersRouter } from './routers/pickers';
import { capitalApplicationsRouter } from './routers/capitalApplications';
import { capitalMoneyRouter } from './routers/capitalMoney';
import { capitalAssessmentRouter } from './routers/capitalAssessment';
import { capitalStagesRouter } from './routers/capitalStages';
import { disputesRouter } from './routers/disputes';

/** One router per resource, merged here. */
export const appRouter = router({
	workspace: workspaceRouter,
	people: peopleRouter,
	notifications: notificationsRouter,
	clusters: clustersRouter,
	bids: bidsRouter,
	pickers: pickersRouter,
	capitalApplications: capitalApplicationsRouter,
	capitalMoney: capitalMoneyRouter,
	capitalAssessment: capitalAssessmentRouter,
	capitalStages: capitalStagesRouter,
	disputes: disputesRouter
});

export type AppRouter = typeof appRouter;
