// PCF advice's live events, as both ends see them. A bid's advice event goes to the bid's own room
// (joined by those who may see the bid); a consultation has its own room, joined by whoever may read
// it (`$lib/server/pcf/live.ts`). Events carry ids and what kind of change only; pages refetch.
import { roomName } from '$lib/live/rooms';
import type { RoomName } from '$lib/live/events';

declare module '$lib/live/events' {
	interface LiveRoomKinds {
		/** One per consultation: its readers hear that it opened, was extended or closed, or its advice changed. */
		consultation: true;
		/** One per funding round the forum gives a themed response on: its readers hear that the advice changed. */
		pcfround: true;
		/** One per inclusion-base application the forum advises on: its readers hear that the advice changed. */
		pcfapplication: true;
		/** One per workspace: whoever sees its consultations in their list hears that one opened, was extended or closed. */
		consultations: true;
		/** Every workspace's consultations, for council officers' list. */
		consultationscounty: true;
	}
	interface LiveEventPayloads {
		/** The forum's position, a point, an answer or a check on this bid changed. */
		'pcf.changed': { bidId: number; pointId: number | null };
		/** This consultation opened, was extended, closed or decided, or the advice on it (a point, the position, an answer) changed. */
		'pcf.consultation.changed': { consultationId: number; change: ConsultationChange };
		/** The forum's themed response across this funding round (its position, a point, an answer or a check) changed. */
		'pcf.round.changed': { roundId: number; pointId: number | null };
		/** The forum's advice on this inclusion-base application (its position, a point, an answer or a check) changed. */
		'pcf.application.changed': { applicationId: number; pointId: number | null };
		/** A consultation in the list opened, was extended or closed: lists showing it refetch. */
		'pcf.consultations.changed': { consultationId: number; change: ListedChange };
	}
}

/** 'decided': a steering group decision item's decision was recorded (which closes it). */
export type ConsultationChange = 'opened' | 'extended' | 'closed' | 'decided' | 'advice';
/** The changes a list of consultations shows. */
export type ListedChange = Exclude<ConsultationChange, 'advice'>;

/** The county-wide list's one room id (officers see every workspace's consultations). */
export const COUNTY_LIST_ID = 1;

/** A consultation's room. */
export const consultationRoom = (consultationId: number): RoomName => roomName('consultation', consultationId);

/** The room of the forum's themed response across a funding round. */
export const pcfRoundRoom = (roundId: number): RoomName => roomName('pcfround', roundId);

/** The room of a workspace's consultations as lists show them, or (null) of every workspace's. */
export const consultationsRoom = (clusterId: number | null): RoomName =>
	clusterId === null ? roomName('consultationscounty', COUNTY_LIST_ID) : roomName('consultations', clusterId);

/** The room of the forum's advice on an inclusion-base application (apart from the application's own room, whose writers reload on its changes). */
export const pcfApplicationRoom = (applicationId: number): RoomName => roomName('pcfapplication', applicationId);
