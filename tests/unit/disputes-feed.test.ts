import { describe, expect, it } from 'vitest';
import { FEED_NAME, feedIcs, meetingIcs, meetingUid, type FeedMeeting } from '../../src/lib/server/disputes/ics';
import { can } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { MembershipRef } from '../../src/lib/server/disputes/policy';

// A panel member's private calendar feed parsed back: one VEVENT per booked meeting with the
// invitation's UID and SEQUENCE, UTC instants either side of the clock change, the case reference
// only (no attendee, no one's name or address), METHOD:PUBLISH; an empty feed is still a calendar.
// And the feed's rule both ways: only the member themself, and only while in the pool.

interface Event {
	props: Map<string, string>;
	lines: string[];
}

/** The feed's calendar-level properties and its events, lines unfolded (RFC 5545). */
function parseFeed(ics: string): { calendar: Map<string, string>; events: Event[]; text: string } {
	const text = ics.replace(/\r?\n[ \t]/g, '');
	const lines = text.split(/\r?\n/).filter(Boolean);
	const calendar = new Map<string, string>();
	const events: Event[] = [];
	let current: Event | null = null;
	for (const line of lines) {
		if (line === 'BEGIN:VEVENT') current = { props: new Map(), lines: [] };
		else if (line === 'END:VEVENT') {
			events.push(current!);
			current = null;
		} else {
			const colon = line.indexOf(':');
			const name = line.slice(0, colon).split(';')[0];
			const value = line.slice(colon + 1);
			if (current) {
				current.props.set(name, value);
				current.lines.push(line);
			} else calendar.set(name, value);
		}
	}
	return { calendar, events, text };
}

const MEETINGS: FeedMeeting[] = [
	{ uid: meetingUid(12, 3), sequence: 2, reference: 'DR-CHE-0012', startsAt: new Date('2026-10-21T09:00:00Z'), endsAt: new Date('2026-10-21T11:00:00Z'), mode: 'in_person', place: 'Banbury Library', link: 'http://localhost:5173/disputes/polls/3' },
	// After the clocks go back: 10:00 London is 10:00Z.
	{ uid: meetingUid(14, 5), sequence: 0, reference: 'DR-CHE-0014', startsAt: new Date('2026-11-03T10:00:00Z'), endsAt: new Date('2026-11-03T12:00:00Z'), mode: 'online', place: 'https://meet.example.org/panel', link: 'http://localhost:5173/disputes/polls/5' }
];

describe('the private calendar feed', () => {
	it('lists each booked meeting once with the invitation’s UID and SEQUENCE, as UTC instants', () => {
		const { calendar, events } = parseFeed(feedIcs(MEETINGS));
		expect(calendar.get('METHOD')).toBe('PUBLISH');
		expect(calendar.get('X-WR-CALNAME')).toBe(FEED_NAME);
		expect(events.map((e) => e.props.get('UID'))).toEqual(['dispute-12-meeting-3@send-portal', 'dispute-14-meeting-5@send-portal']);
		expect(events.map((e) => e.props.get('SEQUENCE'))).toEqual(['2', '0']);
		expect(events.map((e) => [e.props.get('DTSTART'), e.props.get('DTEND')])).toEqual([
			['20261021T090000Z', '20261021T110000Z'],
			['20261103T100000Z', '20261103T120000Z']
		]);
		expect(events.every((e) => e.props.get('STATUS') === 'CONFIRMED')).toBe(true);
		expect(events[0].props.get('LOCATION')).toBe('Banbury Library');
		expect(events[1].props.get('LOCATION')).toBe('Online');
		expect(events[1].props.get('URL')).toBe('https://meet.example.org/panel');
	});

	it('uses the same UID as the emailed invitation, so a calendar holding both shows one entry', () => {
		const invite = parseFeed(meetingIcs({ ...MEETINGS[0], attendee: { email: 'chair@example.org', answer: 'yes' } }, 'REQUEST'));
		expect(parseFeed(feedIcs(MEETINGS)).events[0].props.get('UID')).toBe(invite.events[0].props.get('UID'));
	});

	it('names the case by reference only: no attendee, no email address, nothing but the reference in title and body', () => {
		const { events, text } = parseFeed(feedIcs(MEETINGS));
		for (const event of events) {
			expect(event.props.has('ATTENDEE')).toBe(false);
			expect(event.props.get('SUMMARY')).toMatch(/^Dispute-resolution panel: DR-CHE-00\d\d$/);
			expect(event.props.get('DESCRIPTION')).toMatch(/^The panel meeting for case DR-CHE-00\d\d\. Details are on the portal: http:\/\/localhost:5173\/disputes\/polls\/\d+$/);
		}
		// The only addresses in the feed are the portal's no-reply organiser and the UIDs.
		const addresses = new Set(text.match(/[\w.+-]+@[\w.-]+/g));
		expect([...addresses].filter((a) => !a.endsWith('@send-portal') && a !== 'no-reply@portal.example')).toEqual([]);
		expect(addresses.size).toBeGreaterThan(0);
	});

	it('is an empty calendar when nothing is booked (a cancelled meeting is simply not in it)', () => {
		const { calendar, events, text } = parseFeed(feedIcs([]));
		expect(calendar.get('BEGIN')).toBe('VCALENDAR');
		expect(events).toHaveLength(0);
		expect(text).not.toContain('VEVENT');
		expect(parseFeed(feedIcs(MEETINGS.slice(1))).events.map((e) => e.props.get('UID'))).toEqual([meetingUid(14, 5)]);
	});
});

describe('the feed’s rule', () => {
	const actor = (id: number): Actor => ({ id, name: `Person ${id}`, email: `p${id}@example.org`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [] });
	const membership = (more: Partial<MembershipRef> = {}): MembershipRef => ({ id: 9, userId: 7, district: { id: 1, name: 'Cherwell' }, active: true, ...more });

	for (const action of ['disputes.feed.manage', 'disputes.feed.read'] as const) {
		it(`${action}: allows the member themself while in the pool`, () => {
			expect(can(actor(7), { action, membership: membership() }).allowed).toBe(true);
		});
		it(`${action}: refuses anyone else, and the member once off the pool, saying why`, () => {
			const other = can(actor(8), { action, membership: membership() });
			expect(other).toEqual({ allowed: false, reason: 'Only the panel member themself can have their calendar feed.' });
			const removed = can(actor(7), { action, membership: membership({ active: false }) });
			expect(removed).toEqual({ allowed: false, reason: 'You are no longer in Cherwell’s panel pool, so you have no calendar feed.' });
			expect(can(null, { action, membership: membership() }).allowed).toBe(false);
		});
	}
});
