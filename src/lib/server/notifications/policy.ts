import { allow, deny, type RuleMap } from '../decision';

// A person's notifications, and the live room that brings them, are theirs alone. Merged into `can()`.

export type NotificationCheck =
	| { action: 'notification.update'; notification: { user_id: number } }
	| { action: 'live.joinUserRoom'; userId: number };

export const notificationRules: RuleMap<NotificationCheck> = {
	'notification.update': (actor, { notification }) =>
		notification.user_id === actor.id ? allow : deny('That notification belongs to someone else.'),
	'live.joinUserRoom': (actor, { userId }) => (userId === actor.id ? allow : deny('You can only receive your own notifications.'))
};
