import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import { CHERWELL, DISPUTE_CASE as CASE, DISPUTE_PEOPLE as PEOPLE, type DisputeWho as Who } from './disputes-people';
import { expectOnly } from './policy-table';

// Who may run a district's panels and see a case: every rule for every kind of person, allowed
// and refused. Council officers are refused throughout: the service is independent of the council.

const rule = (check: PolicyCheck, allowed: Who[]) => expectOnly(PEOPLE, check, allowed);

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
