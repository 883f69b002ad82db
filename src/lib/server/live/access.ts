import type { Work } from '../work';
import { userRoom } from '$lib/live/rooms';

/**
 * Says, in the command's transaction, that these people's roles, memberships or account changed.
 * Each person gets one `access.changed` event in their own room (stored with the action's other
 * events in flush's two statements, however many people), so every instance forgets their
 * remembered sessions as the commit lands or is relayed and their open pages reload at once,
 * showing what they may now see. Their live connections then end: they were let into rooms
 * with the old rights.
 */
export async function publishAccessChanged(work: Pick<Work, 'publish' | 'disconnectUser'>, userIds: readonly number[]): Promise<void> {
	for (const userId of [...new Set(userIds)].sort((a, b) => a - b)) {
		await work.publish(userRoom(userId), 'access.changed', { userIds: [userId] });
		work.disconnectUser(userId);
	}
}
