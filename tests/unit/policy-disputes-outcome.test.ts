import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import { DISPUTE_CASE as CASE, DISPUTE_PEOPLE as PEOPLE, type DisputeWho as Who } from './disputes-people';
import { expectOnly } from './policy-table';

// Who may record and read what happens after a panel meets: every new rule for every kind of person,
// allowed and refused. Only the district’s SENDIASS officers act; the school sees the agreed actions.

const rule = (check: PolicyCheck, allowed: Who[]) => expectOnly(PEOPLE, check, allowed);

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
