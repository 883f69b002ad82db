import type { Actions, PageServerLoad } from './$types';
import { parseId } from '$lib/server/pages';
import { pcfApplicationRoom } from '$lib/pcf/live';
import { advicePageActions, advicePageData } from '$lib/server/pcf/advice-page';

// The forum's advice on one inclusion-base application (a scheme, an early years grant or a
// rollout school), with the same forms as a bid's: the group's position (the lead approves it),
// points with themes, families' aggregated feedback, answers drafted by the applying setting's
// staff or an officer and published together, delivery and the two checks. Below it, the
// application's own discussion, open to whoever may see the application.

export const load: PageServerLoad = async (event) => {
	const applicationId = parseId(event.params.applicationId);
	return advicePageData(event, { key: { applicationId }, room: pcfApplicationRoom(applicationId), reloads: `pcfapplication:${applicationId}`, discussion: { kind: 'capital_application', id: applicationId } });
};

export const actions: Actions = advicePageActions('capital_application', 'applicationId', (applicationId) => ({ applicationId }), 'applications');
