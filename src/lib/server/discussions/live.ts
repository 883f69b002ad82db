import { can } from '../policy';
import { liveFeature, NOTHING_STALE } from '../live/registry';
import { SUBJECT_KINDS } from '$lib/discussions/model';
import { loadSubject, seenBy } from './subjects';
import '$lib/discussions/live';

/** One room per discussion, joined by whoever may see its subject; nothing is remembered on the server. */
export const discussionsLive = liveFeature({
	rooms: [
		{
			kind: 'discussion',
			authorize: async (db, actor, discussionId) => {
				if (!actor) return { allowed: false, reason: 'You need to sign in first.' };
				const discussion = await db.selectFrom('discussion').select(['subject_kind', 'subject_id']).where('id', '=', discussionId).executeTakeFirst();
				if (!discussion || !SUBJECT_KINDS.includes(discussion.subject_kind)) return { allowed: false, reason: 'There is no such discussion.' };
				const subject = await loadSubject(db, discussion.subject_kind, discussion.subject_id).catch(() => null);
				if (!subject) return { allowed: false, reason: 'There is no such discussion.' };
				return can(actor, { action: 'discussion.view', subject: seenBy(subject, actor) });
			}
		}
	],
	events: { 'discussion.changed': () => NOTHING_STALE }
});
