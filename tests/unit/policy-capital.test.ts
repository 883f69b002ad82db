import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { SigningSetting } from '../../src/lib/server/capital/policy';
import { expectOnly, person } from './policy-table';

// Who may see and change the capital programme, read its rounds, and sign for a setting: every
// rule for every kind of person, allowed and refused.

const SCHOOL: SigningSetting = { id: 100, name: 'Meadowside Primary', signatories: ['headteacher', 'governing_body'] };
const ACADEMY: SigningSetting = { id: 101, name: 'Castlebrook Academy', signatories: ['trust'] };
const NURSERY: SigningSetting = { id: 102, name: 'Little Oaks Day Nursery', signatories: ['owner_manager'] };
const COLLEGE: SigningSetting = { id: 103, name: 'Cherwell Bridge College', signatories: ['principal'] };

const at = (setting: SigningSetting, role: 'headteacher' | 'senco', id: number) =>
	person(id, { settingRoles: [{ settingId: setting.id, settingName: setting.name, clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });

const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	admin: person(2, { countyRole: 'admin' }),
	schoolHead: at(SCHOOL, 'headteacher', 3),
	schoolSenco: at(SCHOOL, 'senco', 4),
	academyHead: at(ACADEMY, 'headteacher', 5),
	nurseryManager: at(NURSERY, 'headteacher', 6),
	collegePrincipal: at(COLLEGE, 'headteacher', 7),
	pcfRep: person(8, { clusterRoles: [{ clusterId: 1, clusterName: 'Cherwell', clusterKind: 'district', role: 'pcf_rep' }], clusterIds: [1, 10] }),
	stranger: person(9, {})
};
type Who = keyof typeof PEOPLE;

/** Exactly `allowed` may; everyone else is refused with a reason matching `says`. */
const rule = (check: PolicyCheck, allowed: Who[], says: RegExp) => expectOnly(PEOPLE, check, allowed, says);

const STAFF: Who[] = ['officer', 'admin'];
const WITH_A_ROLE: Who[] = [...STAFF, 'schoolHead', 'schoolSenco', 'academyHead', 'nurseryManager', 'collegePrincipal', 'pcfRep'];

describe('capital policy', () => {
	it('only council officers see and change the programme set-up', () => {
		rule({ action: 'capital.view' }, STAFF, /Only council officers/);
		rule({ action: 'capital.manage' }, STAFF, /Only council officers/);
	});

	it('anyone who works in a setting or a cluster may list the published rounds; a stranger may not', () => {
		rule({ action: 'capital.rounds.view' }, WITH_A_ROLE, /open to people who work in a setting/);
	});

	it('a draft round is seen by officers only; an open or closed one by everyone with a role', () => {
		rule({ action: 'capital.round.view', round: { status: 'draft' } }, STAFF, /not been published/);
		rule({ action: 'capital.round.view', round: { status: 'open' } }, WITH_A_ROLE, /open to people who work in a setting/);
		rule({ action: 'capital.round.view', round: { status: 'closed' } }, WITH_A_ROLE, /open to people who work in a setting/);
	});

	it('a maintained school’s headteacher signs for it as headteacher; its SENCO and others may not', () => {
		rule({ action: 'capital.sign', setting: SCHOOL, as: 'headteacher' }, ['schoolHead'], /Only the headteacher of Meadowside Primary/);
	});

	it('nobody signs for a school in a capacity its type does not list', () => {
		rule({ action: 'capital.sign', setting: SCHOOL, as: 'trust' }, [], /the headteacher and the governing body sign for Meadowside Primary, not the trust/);
	});

	it('an academy is signed for by its trust, never by its headteacher or an officer', () => {
		rule({ action: 'capital.sign', setting: ACADEMY, as: 'trust' }, [], /Only the trust of Castlebrook Academy/);
		rule({ action: 'capital.sign', setting: ACADEMY, as: 'headteacher' }, [], /the trust signs for Castlebrook Academy/);
	});

	it('a PVI nursery is signed for by its owner or manager, an FE college by its principal', () => {
		rule({ action: 'capital.sign', setting: NURSERY, as: 'owner_manager' }, ['nurseryManager'], /Only the owner or manager of Little Oaks/);
		rule({ action: 'capital.sign', setting: COLLEGE, as: 'principal' }, ['collegePrincipal'], /Only the principal of Cherwell Bridge College/);
	});

	it('a governing body signs for itself: no role in the school may sign in its place', () => {
		rule({ action: 'capital.sign', setting: SCHOOL, as: 'governing_body' }, [], /Only the governing body of Meadowside Primary/);
	});

	it('refuses someone who is not signed in', () => {
		expect(can(null, { action: 'capital.view' })).toEqual({ allowed: false, reason: 'You need to sign in first.' });
	});
});
