import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { DisputeCaseRef } from '../../src/lib/server/disputes/policy';

// Who may see and handle the parties' statements and papers: every new rule for every kind of
// person, allowed and refused. The district's SENDIASS officers record, redact and share; the
// booked, non-conflicted panel reads what was shared while its window is open; nobody else.

const CHERWELL = { id: 1, name: 'Cherwell' };
const SETTING = { id: 100, name: 'Meadowside Primary' };

function person(id: number, roles: Partial<Actor>): Actor {
	return { id, name: `Person ${id}`, email: `p${id}@example.test`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [], ...roles };
}
const inDistrict = (id: number, districtId: number, districtName: string, role: 'sendiass_officer' | 'panel_member' | 'pcf_rep') =>
	person(id, { clusterRoles: [{ clusterId: districtId, clusterName: districtName, clusterKind: 'district', role }], clusterIds: [districtId] });
const atSetting = (id: number, settingId: number, role: 'headteacher' | 'senco') =>
	person(id, { settingRoles: [{ settingId, settingName: 'A setting', clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });

const PEOPLE = {
	sendiass: inDistrict(1, CHERWELL.id, 'Cherwell', 'sendiass_officer'),
	otherDistrictSendiass: inDistrict(2, 2, 'Oxford', 'sendiass_officer'),
	bookedMember: inDistrict(3, CHERWELL.id, 'Cherwell', 'panel_member'),
	conflictedBookedMember: inDistrict(4, CHERWELL.id, 'Cherwell', 'panel_member'),
	unbookedMember: inDistrict(5, CHERWELL.id, 'Cherwell', 'panel_member'),
	head: atSetting(6, SETTING.id, 'headteacher'),
	senco: atSetting(7, SETTING.id, 'senco'),
	otherHead: atSetting(8, 101, 'headteacher'),
	pcfRep: inDistrict(9, CHERWELL.id, 'Cherwell', 'pcf_rep'),
	councilOfficer: person(10, { countyRole: 'officer' }),
	admin: person(11, { countyRole: 'admin' }),
	stranger: person(12, {})
};
type Who = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Who[];

const CASE: DisputeCaseRef = {
	id: 50,
	reference: 'DR-CHE-0001',
	district: CHERWELL,
	settingId: SETTING.id,
	bookedMemberIds: [3, 4],
	conflictedMemberIds: [4],
	panelWindowOpen: true
};
const BEFORE_BOOKING: DisputeCaseRef = { ...CASE, panelWindowOpen: false };

/** Exactly `allowed` may; everyone else is refused with a reason. */
function rule(check: PolicyCheck, allowed: Who[]) {
	for (const who of EVERYONE) {
		const decision = can(PEOPLE[who], check);
		if (allowed.includes(who)) expect(decision, `${who} may ${check.action}`).toEqual({ allowed: true });
		else {
			expect(decision.allowed, `${who} may not ${check.action}`).toBe(false);
			expect(decision.allowed === false && decision.reason.length > 10, `${who} is told why`).toBe(true);
		}
	}
}

describe('disputes papers policy', () => {
	it('lets only the district’s SENDIASS officers record, redact and share statements and papers', () => {
		rule({ action: 'disputes.papers.manage', case: CASE }, ['sendiass']);
		expect(can(PEOPLE.otherDistrictSendiass, { action: 'disputes.papers.manage', case: CASE })).toEqual({ allowed: false, reason: expect.stringContaining('Cherwell') });
		expect(can(PEOPLE.bookedMember, { action: 'disputes.papers.manage', case: CASE }).allowed).toBe(false);
	});

	it('shows the papers page to the officers and the booked, non-conflicted panel, never to the school, the PCF rep or the council', () => {
		rule({ action: 'disputes.papers.view', case: CASE }, ['sendiass', 'bookedMember']);
		expect(can(PEOPLE.conflictedBookedMember, { action: 'disputes.papers.view', case: CASE })).toEqual({ allowed: false, reason: expect.stringContaining('conflict') });
		expect(can(PEOPLE.head, { action: 'disputes.papers.view', case: CASE })).toEqual({ allowed: false, reason: expect.stringContaining('booked') });
	});

	it('shows the panel the papers only from booking until the follow-up closes', () => {
		rule({ action: 'disputes.papers.view', case: BEFORE_BOOKING }, ['sendiass']);
		expect(can(PEOPLE.bookedMember, { action: 'disputes.papers.view', case: BEFORE_BOOKING })).toEqual({ allowed: false, reason: expect.stringContaining('from booking until its follow-up closes') });
	});

	it('lets the booked panel open a paper only once it was redacted and shared; officers open any', () => {
		rule({ action: 'disputes.paper.open', case: CASE, shared: true }, ['sendiass', 'bookedMember']);
		rule({ action: 'disputes.paper.open', case: CASE, shared: false }, ['sendiass']);
		expect(can(PEOPLE.bookedMember, { action: 'disputes.paper.open', case: CASE, shared: false })).toEqual({ allowed: false, reason: expect.stringContaining('not been redacted and shared') });
		rule({ action: 'disputes.paper.open', case: BEFORE_BOOKING, shared: true }, ['sendiass']);
	});
});
