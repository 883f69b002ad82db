import type { Work } from '../work';
import { userRoom } from '$lib/live/events';

/**
 * Says, in the command's transaction, that these people's roles, memberships or account changed:
 * every instance forgets their remembered sessions (and these workspaces' read models) as the
 * commit lands or is relayed, and their own pages reload. One event in each person's own room.
 */
export async function publishAccessChanged(work: Pick<Work, 'publish'>, userIds: readonly number[], clusterIds: readonly number[] = []): Promise<void> {
	for (const userId of [...new Set(userIds)].sort((a, b) => a - b)) {
		await work.publish(userRoom(userId), 'access.changed', { userIds: [userId], clusterIds: [...clusterIds] });
	}
}
