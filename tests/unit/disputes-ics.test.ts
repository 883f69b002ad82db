import { describe, expect, it } from 'vitest';
import { meetingIcs, meetingUid, type MeetingInvite } from '../../src/lib/server/disputes/ics';
import { checkSlots, londonClock, londonInstant, slotWhen } from '../../src/lib/server/disputes/scheduling';
import { districtCalendar } from '../../src/lib/server/disputes/calendar';

// The panel's calendar invitation parsed back (UID stable, SEQUENCE rising, CANCEL, the case
// reference only), and candidate slots: past, overlapping, outside term, and both clock changes.

/** The .ics text's properties, unfolded (RFC 5545 folds long lines with a leading space or tab). */
function parse(ics: string): Map<string, string[]> {
	const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
	const props = new Map<string, string[]>();
	for (const line of lines) {
		const colon = line.indexOf(':');
		const name = line.slice(0, colon).split(';')[0];
		props.set(name, [...(props.get(name) ?? []), line]);
	}
	return props;
}
const value = (props: Map<string, string[]>, name: string) => props.get(name)?.[0]?.split(':').slice(1).join(':');

const INVITE: MeetingInvite = {
	uid: meetingUid(12, 3),
	sequence: 0,
	reference: 'DR-CHE-0012',
	startsAt: new Date('2026-10-26T10:00:00Z'),
	endsAt: new Date('2026-10-26T12:00:00Z'),
	mode: 'in_person',
	place: 'Banbury Library, Marlborough Road',
	attendee: { email: 'chair@example.org', answer: 'yes' },
	link: 'http://localhost:5173/disputes/12/meeting'
};

describe('meeting invitation', () => {
	it('is a METHOD:REQUEST with the stable UID, the sequence, UTC times and the attendee’s own answer', () => {
		const props = parse(meetingIcs(INVITE, 'REQUEST'));
		expect(value(props, 'METHOD')).toBe('REQUEST');
		expect(value(props, 'UID')).toBe('dispute-12-meeting-3@send-portal');
		expect(value(props, 'SEQUENCE')).toBe('0');
		expect(value(props, 'DTSTART')).toBe('20261026T100000Z');
		expect(value(props, 'DTEND')).toBe('20261026T120000Z');
		expect(value(props, 'STATUS')).toBe('CONFIRMED');
		expect(props.get('ATTENDEE')).toHaveLength(1);
		expect(props.get('ATTENDEE')![0]).toMatch(/PARTSTAT="?ACCEPTED"?/);
		expect(props.get('ATTENDEE')![0]).toMatch(/mailto:chair@example\.org$/i);
	});

	it('marks an “if need be” answer tentative, and one not given as needing action', () => {
		expect(parse(meetingIcs({ ...INVITE, attendee: { email: 'a@example.org', answer: 'if_need_be' } }, 'REQUEST')).get('ATTENDEE')![0]).toMatch(/PARTSTAT="?TENTATIVE"?/);
		expect(parse(meetingIcs({ ...INVITE, attendee: { email: 'a@example.org', answer: null } }, 'REQUEST')).get('ATTENDEE')![0]).toMatch(/PARTSTAT="?NEEDS-ACTION"?/);
	});

	it('keeps the UID through a reschedule with a higher SEQUENCE, and cancels the same entry', () => {
		const first = parse(meetingIcs(INVITE, 'REQUEST'));
		const moved = parse(meetingIcs({ ...INVITE, sequence: 1, startsAt: new Date('2026-11-02T10:00:00Z'), endsAt: new Date('2026-11-02T12:00:00Z') }, 'REQUEST'));
		const cancelled = parse(meetingIcs({ ...INVITE, sequence: 2 }, 'CANCEL'));
		expect(value(moved, 'UID')).toBe(value(first, 'UID'));
		expect(value(cancelled, 'UID')).toBe(value(first, 'UID'));
		expect(Number(value(moved, 'SEQUENCE'))).toBeGreaterThan(Number(value(first, 'SEQUENCE')));
		expect(Number(value(cancelled, 'SEQUENCE'))).toBeGreaterThan(Number(value(moved, 'SEQUENCE')));
		expect(value(cancelled, 'METHOD')).toBe('CANCEL');
		expect(value(cancelled, 'STATUS')).toBe('CANCELLED');
	});

	it('names the case reference only: no child, family or setting, whatever the case holds', () => {
		const ics = meetingIcs(INVITE, 'REQUEST');
		const props = parse(ics);
		expect(value(props, 'SUMMARY')).toBe('Dispute-resolution panel: DR-CHE-0012');
		expect(value(props, 'DESCRIPTION')).toContain('DR-CHE-0012');
		// The only people named are the attendee (to themselves) and the portal as organiser.
		const emails = ics.replace(/\r?\n[ \t]/g, '').match(/[\w.+-]+@[\w.-]+\.\w+/g) ?? [];
		expect(new Set(emails)).toEqual(new Set(['chair@example.org', 'no-reply@portal.example']));
		expect(ics).not.toMatch(/Year \d|Primary|initials/);
		expect(props.get('ATTENDEE')![0]).toMatch(/CN="?Panel member"?:/);
	});

	it('carries an online meeting’s link', () => {
		const props = parse(meetingIcs({ ...INVITE, mode: 'online', place: 'https://meet.example.org/panel-12' }, 'REQUEST'));
		expect(value(props, 'URL')).toBe('https://meet.example.org/panel-12');
		expect(value(props, 'LOCATION')).toBe('Online');
	});
});

describe('London times across the clock changes', () => {
	it('turns 10:00 London into 09:00Z in summer and 10:00Z in winter', () => {
		expect(londonInstant('2026-10-23', '10:00')?.toISOString()).toBe('2026-10-23T09:00:00.000Z');
		expect(londonInstant('2026-10-26', '10:00')?.toISOString()).toBe('2026-10-26T10:00:00.000Z');
		expect(londonInstant('2026-03-30', '10:00')?.toISOString()).toBe('2026-03-30T09:00:00.000Z');
	});

	it('refuses a time the spring change skips and takes a repeated autumn hour at its first occurrence', () => {
		expect(londonInstant('2026-03-29', '01:30')).toBeNull();
		expect(londonInstant('2026-10-25', '01:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(londonClock(new Date('2026-10-25T01:30:00Z'))).toEqual({ date: '2026-10-25', time: '01:30' });
	});

	it('says a slot’s time in London on either side of the change', () => {
		expect(slotWhen(new Date('2026-10-23T09:00:00Z'), new Date('2026-10-23T11:00:00Z'))).toBe('Friday 23 October 2026, 10:00 to 12:00 (London time)');
		expect(slotWhen(new Date('2026-10-26T10:00:00Z'), new Date('2026-10-26T12:00:00Z'))).toBe('Monday 26 October 2026, 10:00 to 12:00 (London time)');
	});
});

describe('candidate slots', () => {
	const calendar = districtCalendar([{ start: '2026-09-02', end: '2026-10-23' }, { start: '2026-11-02', end: '2026-12-18' }], [2026]);
	const NOW = new Date('2026-10-14T09:00:00Z');

	it('accepts future, separate slots and gives their instants', () => {
		const checked = checkSlots([{ date: '2026-10-21', time: '10:00', minutes: 120 }, { date: '2026-11-03', time: '14:00', minutes: 90 }], NOW, calendar, true);
		expect(checked.errors).toEqual({});
		expect(checked.warnings).toEqual([]);
		expect(checked.slots.map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([
			['2026-10-21T09:00:00.000Z', '2026-10-21T11:00:00.000Z'],
			['2026-11-03T14:00:00.000Z', '2026-11-03T15:30:00.000Z']
		]);
	});

	it('refuses a slot in the past and one overlapping another', () => {
		const checked = checkSlots(
			[{ date: '2026-10-13', time: '10:00', minutes: 60 }, { date: '2026-10-21', time: '10:00', minutes: 120 }, { date: '2026-10-21', time: '11:30', minutes: 60 }],
			NOW,
			calendar,
			false
		);
		expect(checked.slots).toEqual([]);
		expect(checked.errors['slots.0']).toEqual(['Slot 1 (2026-10-13 at 10:00) is in the past. Choose a time from now on']);
		expect(checked.errors['slots.1']).toBeUndefined();
		expect(checked.errors['slots.2']).toEqual(['Slot 3 (2026-10-21 at 11:30) overlaps slot 2. Choose times that do not overlap']);
	});

	it('does not call slots that meet end to start overlapping', () => {
		expect(checkSlots([{ date: '2026-10-21', time: '10:00', minutes: 60 }, { date: '2026-10-21', time: '11:00', minutes: 60 }], NOW, calendar, false).errors).toEqual({});
	});

	it('warns (not refuses) about a half-term slot only where the district counts school days', () => {
		const halfTerm = [{ date: '2026-10-28', time: '10:00', minutes: 60 }];
		expect(checkSlots(halfTerm, NOW, calendar, true)).toMatchObject({ errors: {}, warnings: ['Slot 1 (2026-10-28 at 10:00) is not a school day in the district’s terms.'] });
		expect(checkSlots(halfTerm, NOW, calendar, false).warnings).toEqual([]);
	});
});
