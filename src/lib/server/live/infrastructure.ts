import { can } from '../policy';
import { liveFeature, type RoomKindRegistration } from './registry';

/** Each person's own room: their notifications, and word that their access changed. Never shown as presence. */
const userRooms: RoomKindRegistration = {
	kind: 'user',
	authorize: async (_db, actor, userId) => can(actor, { action: 'live.joinUserRoom', userId })
};

/**
 * The live layer's own rooms and events. `access.changed` is how a command that changes someone's
 * roles, memberships or account makes sure no instance keeps acting on the old rights.
 */
export const infrastructureLive = liveFeature({
	rooms: [userRooms],
	events: {
		'access.changed': ({ payload }) => ({ sessionsOf: payload.userIds })
	}
});
