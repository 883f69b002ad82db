import type { DisputeCaseRef } from '../../src/lib/server/disputes/policy';
import { atSetting, inDistrict, person } from './policy-table';

// Everyone who might reach for a Cherwell dispute case, for the disputes policy tests: the
// district's officer and another district's, booked (one conflicted) and unbooked panel members,
// the school's staff and another school's head, the forum, the council and a stranger.

export const CHERWELL = { id: 1, name: 'Cherwell' };
export const SETTING = { id: 100, name: 'Meadowside Primary' };

export const DISPUTE_PEOPLE = {
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
export type DisputeWho = keyof typeof DISPUTE_PEOPLE;

/** A booked Cherwell case: members 3 and 4 are booked, 4 is conflicted, the panel's window is open. */
export const DISPUTE_CASE: DisputeCaseRef = {
	id: 50,
	reference: 'DR-CHE-0001',
	district: CHERWELL,
	settingId: SETTING.id,
	bookedMemberIds: [3, 4],
	conflictedMemberIds: [4],
	panelWindowOpen: true
};
