import { liveFeature } from '../live/registry';

/** Notifications are told in each person's own `user:` room; nothing remembered depends on them. */
export const notificationsLive = liveFeature({
	events: {
		'notification.created': () => ({}),
		'notification.read': () => ({})
	}
});
