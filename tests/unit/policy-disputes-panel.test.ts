import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { PollRef } from '../../src/lib/server/disputes/policy';
import { expectOnly, inDistrict, person } from './policy-table';

// The panel's rules (pools, quorum, scheduling polls), for every kind of person, allowed and
// refused: only a district's SENDIASS officers keep its pool and run its polls; a member answers
// and declares conflicts only for themselves, only while the poll is open, only if asked.

const CHERWELL = { id: 1, name: 'Cherwell' };

const PEOPLE = {
	sendiass: inDistrict(1, CHERWELL.id, 'Cherwell', 'sendiass_officer'),
	otherDistrictSendiass: inDistrict(2, 2, 'Oxford', 'sendiass_officer'),
	invited: inDistrict(3, CHERWELL.id, 'Cherwell', 'panel_member'),
	conflicted: inDistrict(4, CHERWELL.id, 'Cherwell', 'panel_member'),
	notInvited: inDistrict(5, CHERWELL.id, 'Cherwell', 'panel_member'),
	head: person(6, { settingRoles: [{ settingId: 100, settingName: 'A setting', clusterId: 10, districtId: 1, role: 'headteacher' }], clusterIds: [1, 10] }),
	pcfRep: inDistrict(9, CHERWELL.id, 'Cherwell', 'pcf_rep'),
	councilOfficer: person(10, { countyRole: 'officer' }),
	admin: person(11, { countyRole: 'admin' })
};
type Who = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Who[];

const POLL: PollRef = { id: 7, caseId: 50, district: CHERWELL, invitedMemberIds: [3, 4], conflictedMemberIds: [4], open: true, closesAt: new Date('2026-10-20T17:00:00Z') };

const rule = (check: PolicyCheck, allowed: Who[]) => expectOnly(PEOPLE, check, allowed);

describe('disputes panel policy', () => {
	it('lets only the district’s SENDIASS officers keep its pool and quorum rule', () => {
		rule({ action: 'disputes.pool.manage', district: CHERWELL }, ['sendiass']);
		expect(can(PEOPLE.councilOfficer, { action: 'disputes.pool.manage', district: CHERWELL })).toEqual({
			allowed: false,
			reason: 'Only SENDIASS officers for Cherwell can keep its panel pool and quorum rule.'
		});
		expect(can(null, { action: 'disputes.pool.manage', district: CHERWELL }).allowed).toBe(false);
	});

	it('lets only the district’s SENDIASS officers propose slots, book, reschedule and cancel', () => {
		rule({ action: 'disputes.poll.run', district: CHERWELL }, ['sendiass']);
	});

	it('shows a poll to the district’s officers and the members asked, nobody else', () => {
		rule({ action: 'disputes.poll.view', poll: POLL }, ['sendiass', 'invited', 'conflicted']);
	});

	it('lets an asked, unconflicted member answer for themselves while the poll is open', () => {
		for (const who of EVERYONE) {
			const decision = can(PEOPLE[who], { action: 'disputes.poll.answer', poll: POLL, memberId: PEOPLE[who].id });
			expect(decision.allowed, who).toBe(who === 'invited');
		}
		expect(can(PEOPLE.conflicted, { action: 'disputes.poll.answer', poll: POLL, memberId: 4 })).toEqual({
			allowed: false,
			reason: 'You have a conflict with this case, so you cannot sit on its panel.'
		});
		expect(can(PEOPLE.notInvited, { action: 'disputes.poll.answer', poll: POLL, memberId: 5 })).toEqual({
			allowed: false,
			reason: 'You are not one of the members asked about this meeting.'
		});
	});

	it('refuses answering for someone else, the officer included', () => {
		for (const who of ['sendiass', 'conflicted', 'notInvited'] as const) {
			expect(can(PEOPLE[who], { action: 'disputes.poll.answer', poll: POLL, memberId: PEOPLE.invited.id })).toEqual({ allowed: false, reason: 'You can answer only for yourself.' });
		}
	});

	it('locks answers once the poll has closed', () => {
		const closed = { ...POLL, open: false };
		const decision = can(PEOPLE.invited, { action: 'disputes.poll.answer', poll: closed, memberId: 3 });
		expect(decision.allowed).toBe(false);
		expect(decision.allowed === false && decision.reason).toMatch(/^This poll closed on 20 October 2026 at 18:00/);
	});

	it('lets an asked member declare a conflict for themselves, once, while the poll is open', () => {
		for (const who of EVERYONE) {
			expect(can(PEOPLE[who], { action: 'disputes.poll.conflict', poll: POLL, memberId: PEOPLE[who].id }).allowed, who).toBe(who === 'invited');
		}
		expect(can(PEOPLE.conflicted, { action: 'disputes.poll.conflict', poll: POLL, memberId: 4 })).toEqual({ allowed: false, reason: 'Your conflict with this case is already recorded.' });
		expect(can(PEOPLE.sendiass, { action: 'disputes.poll.conflict', poll: POLL, memberId: 3 })).toEqual({ allowed: false, reason: 'You can declare a conflict only for yourself.' });
		expect(can(PEOPLE.invited, { action: 'disputes.poll.conflict', poll: { ...POLL, open: false }, memberId: 3 }).allowed).toBe(false);
	});
});
