import { can } from '../policy';
import { liveFeature, NOTHING_STALE, type RoomKindRegistration } from '../live/registry';
import { SUBJECT_KINDS, type SubjectKind } from '$lib/discussions/model';
import { DISCUSSION_ROOM_KINDS } from '$lib/discussions/live';
import { loadSubject, seenBy } from './subjects';

/** The room of the discussion on one kind of subject, joined by whoever may see the subject (even before its first comment). */
const subjectRoom = (kind: SubjectKind): RoomKindRegistration => ({
	kind: DISCUSSION_ROOM_KINDS[kind],
	authorize: async (db, actor, subjectId) => {
		if (!actor) return { allowed: false, reason: 'You need to sign in first.' };
		const subject = await loadSubject(db, kind, subjectId).catch(() => null);
		if (!subject) return { allowed: false, reason: 'There is no such discussion.' };
		return can(actor, { action: 'discussion.view', subject: seenBy(subject, actor) });
	}
});

/** One room per subject's discussion; nothing is remembered on the server. */
export const discussionsLive = liveFeature({
	rooms: SUBJECT_KINDS.map(subjectRoom),
	events: { 'discussion.changed': () => NOTHING_STALE }
});
