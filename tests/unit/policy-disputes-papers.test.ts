import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import { DISPUTE_CASE as CASE, DISPUTE_PEOPLE as PEOPLE, type DisputeWho as Who } from './disputes-people';
import { expectOnly } from './policy-table';
import type { DisputeCaseRef } from '../../src/lib/server/disputes/policy';

// Who may see and handle the parties' statements and papers: every new rule for every kind of
// person, allowed and refused. The district's SENDIASS officers record, redact and share; the
// booked, non-conflicted panel reads what was shared while its window is open; nobody else.

const BEFORE_BOOKING: DisputeCaseRef = { ...CASE, panelWindowOpen: false };
const rule = (check: PolicyCheck, allowed: Who[]) => expectOnly(PEOPLE, check, allowed);

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
