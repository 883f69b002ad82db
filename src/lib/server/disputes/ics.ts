import { createEvent, createEvents, type EventAttributes, type ParticipationStatus } from 'ics';
import type { Answer, SlotMode } from '$lib/disputes/model';

// The calendar invitation a booked panel member receives. One entry per case's meeting: the UID
// stays the same through rescheduling and cancelling and the SEQUENCE rises each time, so
// calendars update the entry they have instead of adding another. Its title and description name
// the case reference only, never the child, the family or the setting; each attendee's copy lists
// only that attendee.

export interface MeetingInvite {
	uid: string;
	sequence: number;
	reference: string;
	startsAt: Date;
	endsAt: Date;
	mode: SlotMode;
	/** The venue, or the online meeting's link. */
	place: string;
	attendee: { email: string; answer: Answer | null };
	/** The case page, for the description. */
	link: string;
}

export const ORGANIZER = { name: 'SENDIASS dispute-resolution panels', email: 'no-reply@portal.example' };

const PARTSTAT: Record<Answer, ParticipationStatus> = { yes: 'ACCEPTED', if_need_be: 'TENTATIVE', no: 'DECLINED' };

/** The `.ics` text: METHOD:REQUEST for a booking or a new time, METHOD:CANCEL to cancel. */
export function meetingIcs(invite: MeetingInvite, method: 'REQUEST' | 'CANCEL'): string {
	const { error, value } = createEvent({
		productId: 'oxfordshire-send-portal/disputes',
		method,
		uid: invite.uid,
		sequence: invite.sequence,
		status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
		start: invite.startsAt.getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		end: invite.endsAt.getTime(),
		endInputType: 'utc',
		endOutputType: 'utc',
		title: `Dispute-resolution panel: ${invite.reference}`,
		description: `${method === 'CANCEL' ? 'Cancelled: the' : 'The'} panel meeting for case ${invite.reference}. Details are on the portal: ${invite.link}`,
		...(invite.mode === 'online' ? { url: invite.place, location: 'Online' } : { location: invite.place }),
		organizer: ORGANIZER,
		attendees: [
			{
				// Named by role, not by name: the invitation carries no one's name.
				name: 'Panel member',
				email: invite.attendee.email,
				rsvp: method === 'REQUEST',
				role: 'REQ-PARTICIPANT',
				partstat: invite.attendee.answer ? PARTSTAT[invite.attendee.answer] : 'NEEDS-ACTION'
			}
		]
	});
	if (error || !value) throw error ?? new Error('The calendar invitation could not be made.');
	return value;
}

/** A stable UID for a case's meeting. */
export const meetingUid = (caseId: number, pollId: number) => `dispute-${caseId}-meeting-${pollId}@send-portal`;

/** A booked meeting as a member's calendar feed lists it. */
export interface FeedMeeting {
	uid: string;
	sequence: number;
	reference: string;
	startsAt: Date;
	endsAt: Date;
	mode: SlotMode;
	place: string;
	/** The poll's page, for the description. */
	link: string;
}

export const FEED_NAME = 'Dispute-resolution panel meetings';

/**
 * A member's private calendar feed (METHOD:PUBLISH): their booked, not-cancelled meetings with the
 * same UID and SEQUENCE as the invitations, so a calendar holding both shows one entry. Only the
 * case reference, the time (UTC instants, so London's clock changes cannot shift them), and the
 * place; no attendees, so no one's name or address.
 */
export function feedIcs(meetings: readonly FeedMeeting[]): string {
	const events: EventAttributes[] = meetings.map((m) => ({
		productId: 'oxfordshire-send-portal/disputes',
		uid: m.uid,
		sequence: m.sequence,
		status: 'CONFIRMED',
		start: m.startsAt.getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		end: m.endsAt.getTime(),
		endInputType: 'utc',
		endOutputType: 'utc',
		title: `Dispute-resolution panel: ${m.reference}`,
		description: `The panel meeting for case ${m.reference}. Details are on the portal: ${m.link}`,
		...(m.mode === 'online' ? { url: m.place, location: 'Online' } : { location: m.place })
	}));
	const { error, value } = createEvents(events, { productId: 'oxfordshire-send-portal/disputes', method: 'PUBLISH', calName: FEED_NAME });
	if (error || !value) throw error ?? new Error('The calendar feed could not be made.');
	return value;
}
