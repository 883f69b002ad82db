import { can } from '../../policy';
import { liveFeature, NOTHING_STALE } from '../../live/registry';
import { loadAssessmentRef } from './access';
import { currentSeqs } from '../../live/catch-up';
import { DomainError } from '../../errors';
import { loadApplicationRef } from '../applications/access';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import type { RoomName } from '$lib/live/events';
import { applicationRoom } from '$lib/capital/applications/live';
import { assessmentRoom } from '$lib/capital/assessment/live';

/** No such application: null. Anything else (the database failing) is not hidden as "no such application". */
const missing = (caught: unknown): null => {
	if (caught instanceof DomainError && caught.code === 'NOT_FOUND') return null;
	throw caught;
};

/** Assessments: one room per application, followed by the officers who may follow it (no presence). */
export const assessmentLive = liveFeature({
	rooms: [
		{
			kind: 'assessment',
			authorize: async (db, actor, id) => {
				if (!actor) return { allowed: false, reason: 'Sign in to follow an assessment.' };
				const application = await loadAssessmentRef(db, actor, id).catch(missing);
				if (!application) return { allowed: false, reason: 'There is no such application.' };
				return can(actor, { action: 'capital.assessment.follow', application });
			}
		}
	],
	// Nothing about an assessment is remembered between requests: pages refetch what they show.
	events: { 'assessment.changed': () => NOTHING_STALE }
});

/** The event each assessment command commits, so the pages following it reload. */
export const assessmentChanged = (applicationId: number) => [{ room: assessmentRoom(applicationId), kind: 'assessment.changed' as const, payload: { applicationId } }];

/**
 * The rooms an assessment page follows for this reader, each with its number read before the
 * page's data (so a change committed in between is replayed): the assessment's, for the officers
 * who may follow it, and the application's (its stage), for whoever may read the application.
 * A reader who may follow neither gets none and the page is simply not live for them.
 */
export async function assessmentPageRooms(db: Database, actor: Actor, applicationId: number): Promise<Partial<Record<RoomName, number>>> {
	const [assessment, application] = await Promise.all([loadAssessmentRef(db, actor, applicationId).catch(missing), loadApplicationRef(db, applicationId)]);
	const rooms: RoomName[] = [];
	if (assessment && can(actor, { action: 'capital.assessment.follow', application: assessment }).allowed) rooms.push(assessmentRoom(applicationId));
	if (application && can(actor, { action: 'capital.application.view', application }).allowed) rooms.push(applicationRoom(applicationId));
	return currentSeqs(db, rooms);
}
