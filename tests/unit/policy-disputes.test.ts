import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { DisputeCaseRef } from '../../src/lib/server/disputes/policy';

// Who may run a district's panels and see a case: every rule for every kind of person, allowed
// and refused. Council officers are refused throughout: the service is independent of the council.

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

describe('disputes policy', () => {
	it('lets only the district’s SENDIASS officers run its panels and record referrals', () => {
		rule({ action: 'disputes.district.run', district: CHERWELL }, ['sendiass']);
	});

	it('shows a case’s details to the district’s SENDIASS officers and the booked, non-conflicted panel', () => {
		rule({ action: 'disputes.case.view', case: CASE }, ['sendiass', 'bookedMember']);
	});

	it('hides the case from the booked panel outside booking to follow-up', () => {
		rule({ action: 'disputes.case.view', case: { ...CASE, panelWindowOpen: false } }, ['sendiass']);
		const decision = can(PEOPLE.bookedMember, { action: 'disputes.case.view', case: { ...CASE, panelWindowOpen: false } });
		expect(decision).toEqual({ allowed: false, reason: 'The panel can see this case only from booking until its follow-up closes.' });
	});

	it('tells a conflicted member why they cannot see it', () => {
		expect(can(PEOPLE.conflictedBookedMember, { action: 'disputes.case.view', case: CASE })).toEqual({ allowed: false, reason: 'You have a conflict with this case, so you cannot see it.' });
	});

	it('shows the status and agreed actions also to the setting’s headteacher and SENCO, not other settings', () => {
		rule({ action: 'disputes.case.status', case: CASE }, ['sendiass', 'bookedMember', 'head', 'senco']);
		rule({ action: 'disputes.case.status', case: { ...CASE, settingId: null } }, ['sendiass', 'bookedMember']);
	});

	it('lets only the district’s SENDIASS officers change a case', () => {
		rule({ action: 'disputes.case.manage', case: CASE }, ['sendiass']);
	});
});
