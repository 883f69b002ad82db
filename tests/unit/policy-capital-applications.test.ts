import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { ApplicationRef } from '../../src/lib/server/capital/applications/policy';
import type { ApplicationStage } from '../../src/lib/capital/flow';
import { expectOnly, person } from './policy-table';

// Who may see an application, write it, withdraw it, move it on, sign it and open its files:
// every rule for every kind of person, allowed and refused.

const SCHOOL = { id: 100, name: 'Meadowside School', signatories: ['headteacher', 'governing_body'] as const, landownerConsent: false };
const VA = { id: 101, name: 'St Anne’s School', signatories: ['headteacher', 'governing_body'] as const, landownerConsent: true };

const at = (settingId: number, role: 'headteacher' | 'senco', id: number) =>
	person(id, { settingRoles: [{ settingId, settingName: 'School', clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });
const district = (clusterId: number, role: 'pcf_rep' | 'cluster_lead', id: number) =>
	person(id, { clusterRoles: [{ clusterId, clusterName: 'District', clusterKind: 'district', role }], clusterIds: [clusterId] });

const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	head: at(SCHOOL.id, 'headteacher', 2),
	senco: at(SCHOOL.id, 'senco', 3),
	vaHead: at(VA.id, 'headteacher', 4),
	lead: district(1, 'cluster_lead', 5),
	pcf: district(1, 'pcf_rep', 6),
	otherPcf: district(2, 'pcf_rep', 7),
	otherHead: at(999, 'headteacher', 8),
	headOfficer: person(9, { countyRole: 'officer', settingRoles: [{ settingId: SCHOOL.id, settingName: 'School', clusterId: 10, districtId: 1, role: 'headteacher' }] })
};
type Who = keyof typeof PEOPLE;

const application = (stage: ApplicationStage, settingIds = [SCHOOL.id, VA.id]): ApplicationRef => ({ id: 1, stage, process: 'scheme', districtId: 1, leadSettingId: SCHOOL.id, settingIds });

const CLEAR = { declaredConflict: false };
const rule = (check: PolicyCheck, allowed: Who[], says: RegExp) => expectOnly(PEOPLE, check, allowed, says);

describe('seeing an application', () => {
	it('a draft: its settings’ staff and officers only', () => {
		rule({ action: 'capital.application.view', application: application('draft') }, ['officer', 'head', 'senco', 'vaHead', 'headOfficer'], /./);
	});
	it('once submitted: also the district’s cluster leads and PCF representatives, never another district’s', () => {
		rule({ action: 'capital.application.view', application: application('submitted') }, ['officer', 'head', 'senco', 'vaHead', 'headOfficer', 'lead', 'pcf'], /can see this application/);
	});
});

describe('writing, withdrawing and moving on', () => {
	it('its staff write it while it is a draft or more information was asked for, and not after submission', () => {
		rule({ action: 'capital.application.edit', application: application('draft') }, ['head', 'senco', 'vaHead', 'headOfficer'], /Only the staff/);
		rule({ action: 'capital.application.edit', application: application('more_information') }, ['head', 'senco', 'vaHead', 'headOfficer'], /Only the staff/);
		expect(can(PEOPLE.senco, { action: 'capital.application.edit', application: application('submitted') })).toMatchObject({ allowed: false, reason: expect.stringMatching(/has been submitted/) });
	});
	it('only the lead’s headteacher withdraws', () => {
		rule({ action: 'capital.application.withdraw', application: application('submitted') }, ['head', 'headOfficer'], /Only the headteacher of the lead setting/);
	});
	it('only an officer moves it on, and never one who works at its settings', () => {
		rule({ action: 'capital.application.officer', application: application('submitted') }, ['officer'], /Only council officers|You work at School/);
	});
});

describe('signing', () => {
	it('the headteacher signs as headteacher; a SENCO never signs', () => {
		rule({ action: 'capital.application.sign', application: application('draft'), setting: SCHOOL, as: 'headteacher' }, ['head', 'headOfficer'], /Only the headteacher of Meadowside School can sign/);
	});
	it('the headteacher records the governing body’s sign-off; a capacity the setting does not have is refused', () => {
		rule({ action: 'capital.application.sign', application: application('draft'), setting: SCHOOL, as: 'governing_body' }, ['head', 'headOfficer'], /Only the headteacher of Meadowside School can record/);
		rule({ action: 'capital.application.sign', application: application('draft'), setting: SCHOOL, as: 'trust' }, [], /not the trust/);
	});
	it('a landowner’s consent only where the setting type needs it', () => {
		rule({ action: 'capital.application.sign', application: application('draft'), setting: VA, as: 'landowner' }, ['vaHead'], /Only the headteacher of St Anne’s School/);
		rule({ action: 'capital.application.sign', application: application('draft'), setting: SCHOOL, as: 'landowner' }, [], /does not need a landowner/);
	});
	it('nobody signs for a setting outside the application, or after submission', () => {
		rule({ action: 'capital.application.sign', application: application('draft', [VA.id]), setting: SCHOOL, as: 'headteacher' }, [], /not part of this application/);
		rule({ action: 'capital.application.sign', application: application('submitted'), setting: SCHOOL, as: 'headteacher' }, [], /./);
	});
});

describe('files and the register', () => {
	it('a safeguarding-sensitive file opens only for officers', () => {
		rule({ action: 'capital.application.file', application: application('submitted'), file: { sensitive: true }, viewer: CLEAR }, ['officer', 'headOfficer'], /only council officers and assessors|can see this application/);
		rule({ action: 'capital.application.file', application: application('submitted'), file: { sensitive: false }, viewer: CLEAR }, ['officer', 'head', 'senco', 'vaHead', 'headOfficer', 'lead', 'pcf'], /can see this application/);
	});
	it('a declared conflict closes the sensitive files to an officer or assessor, not the others', () => {
		const conflicted = { declaredConflict: true };
		rule({ action: 'capital.application.file', application: application('submitted'), file: { sensitive: true }, viewer: conflicted }, [], /declared a conflict of interest|only council officers and assessors|can see this application/);
		expect(can(PEOPLE.officer, { action: 'capital.application.file', application: application('submitted'), file: { sensitive: true }, viewer: conflicted })).toEqual({
			allowed: false,
			reason: 'You declared a conflict of interest in this application, so you cannot see its safeguarding-sensitive files (floor plans and photos that may show pupils).'
		});
		rule({ action: 'capital.application.file', application: application('submitted'), file: { sensitive: false }, viewer: conflicted }, ['officer', 'head', 'senco', 'vaHead', 'headOfficer', 'lead', 'pcf'], /can see this application/);
	});
	it('officers change the need figures and the register; cluster roles read the register', () => {
		rule({ action: 'capital.need.manage' }, ['officer', 'headOfficer'], /Only council officers/);
		rule({ action: 'capital.register.manage' }, ['officer', 'headOfficer'], /Only council officers/);
		rule({ action: 'capital.register.view' }, ['officer', 'headOfficer', 'lead', 'pcf', 'otherPcf'], /council officers and cluster roles/);
	});
});
