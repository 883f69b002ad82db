// Notification events, told in each person's own `user:` room (an infrastructure room).
declare module '$lib/live/events' {
	interface LiveEventPayloads {
		'notification.created': { notificationId: number };
		/** One notification read, or all of them (`null`). */
		'notification.read': { notificationId: number | null };
	}
}
export {};
