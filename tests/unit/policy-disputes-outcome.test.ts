import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { DisputeCaseRef } from '../../src/lib/server/disputes/policy';

// Who may record and read what happens after a panel meets: every new rule for every kind of person,
// allowed and refused. Only the district’s SENDIASS officers act; the school sees the agreed actions.

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


describe('disputes outcome policy', () => {
	const OFFICER_ONLY = ['disputes.outcome.record', 'disputes.outcome.pdf', 'disputes.action.manage', 'disputes.feedback.record', 'disputes.case.end', 'disputes.case.hold', 'disputes.case.export'] as const;

	it.each(OFFICER_ONLY)('lets only the district’s SENDIASS officers %s (not the head, SENCO, PCF rep, panel, another district or the council)', (action) => {
		rule({ action, case: CASE }, ['sendiass']);
		expect(can(PEOPLE.otherDistrictSendiass, { action, case: CASE })).toEqual({ allowed: false, reason: expect.stringContaining('Cherwell') });
	});

	it('shows the outcome’s wording where the case’s details are seen, never to the setting', () => {
		rule({ action: 'disputes.outcome.view', case: CASE }, ['sendiass', 'bookedMember']);
	});

	it('shows the agreed actions to the setting’s head and SENCO as well, not to other settings, the PCF rep or the council', () => {
		rule({ action: 'disputes.actions.view', case: CASE }, ['sendiass', 'bookedMember', 'head', 'senco']);
		rule({ action: 'disputes.actions.view', case: { ...CASE, settingId: null } }, ['sendiass', 'bookedMember']);
	});
});
