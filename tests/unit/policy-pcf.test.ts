import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { GroupRef, ProposalRef } from '../../src/lib/server/pcf/policy';
import { expectOnly, person } from './policy-table';

// Who may see and do what in the PCF advisory groups: every rule for every kind of person,
// allowed and refused.

const GROUP: GroupRef = { districtId: 1, districtName: 'Cherwell', leadUserId: 9 };
const BID: ProposalRef = { kind: 'bid', id: 5, districtId: 1, districtName: 'Cherwell', submitted: true, ownerSettingId: 100, partnerSettingIds: [101] };
const DRAFT: ProposalRef = { ...BID, submitted: false };

const staff = (id: number, settingId: number, role: 'headteacher' | 'senco') =>
	person(id, { settingRoles: [{ settingId, settingName: `Setting ${settingId}`, clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });
const rep = (id: number, districtId: number, name: string) =>
	person(id, { clusterRoles: [{ clusterId: districtId, clusterName: name, clusterKind: 'district', role: 'pcf_rep' }], clusterIds: [districtId] });

const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	ownerHead: staff(2, 100, 'headteacher'),
	ownerSenco: staff(3, 100, 'senco'),
	partnerSenco: staff(4, 101, 'senco'),
	otherSenco: staff(5, 102, 'senco'),
	rep: rep(6, 1, 'Cherwell'),
	otherDistrictRep: rep(7, 2, 'Oxford'),
	clusterLead: person(8, { clusterRoles: [{ clusterId: 1, clusterName: 'Cherwell', clusterKind: 'district', role: 'cluster_lead' }], clusterIds: [1, 10] }),
	lead: rep(9, 1, 'Cherwell'),
	stranger: person(10, {})
};
type Who = keyof typeof PEOPLE;

const rule = (check: PolicyCheck, allowed: Who[], says: RegExp) => expectOnly(PEOPLE, check, allowed, says);

describe('PCF advisory groups', () => {
	it('have a feedback tracker of counts only, open to every representative, cluster leads and officers, not to setting staff', () => {
		rule({ action: 'pcf.tracker.view' }, ['officer', 'rep', 'otherDistrictRep', 'clusterLead', 'lead'], /PCF representatives, cluster leads and council officers/);
	});

	it('are seen by their representatives and officers, not by another district’s', () => {
		rule({ action: 'pcf.groups.view' }, ['officer', 'rep', 'otherDistrictRep', 'lead'], /representatives and council officers/);
		rule({ action: 'pcf.group.view', group: GROUP }, ['officer', 'rep', 'lead'], /Cherwell PCF advisory group and council officers/);
	});

	it('are set up by officers; the watch list is the group’s own choice', () => {
		rule({ action: 'pcf.group.manage', group: GROUP }, ['officer'], /Only council officers/);
		rule({ action: 'pcf.group.watch', group: GROUP }, ['rep', 'lead'], /Only representatives of the Cherwell/);
	});

	it('have a consultation closing-date rule set by officers only, never by the group, a cluster lead or setting staff', () => {
		rule({ action: 'pcf.consultation.settings', group: GROUP }, ['officer'], /Only council officers set how long consultations in Cherwell run/);
	});

	it('share the theme list with officers', () => {
		rule({ action: 'pcf.themes.manage' }, ['officer', 'rep', 'otherDistrictRep', 'lead'], /kept by PCF representatives and council officers/);
	});
});

describe('the forum’s advice on a proposal', () => {
	it('is read by the district’s group from submission, the proposal’s settings and officers', () => {
		rule({ action: 'pcf.advice.view', proposal: BID }, ['officer', 'ownerHead', 'ownerSenco', 'partnerSenco', 'rep', 'lead'], /Cherwell PCF advisory group/);
		expect(can(PEOPLE.rep, { action: 'pcf.advice.view', proposal: DRAFT })).toEqual({
			allowed: false,
			reason: 'The PCF advisory group sees a proposal once it has been submitted.'
		});
	});

	it('is written by the district’s representatives only', () => {
		rule({ action: 'pcf.position.write', proposal: BID }, ['rep', 'lead'], /Cherwell PCF advisory group/);
		rule({ action: 'pcf.position.write', proposal: DRAFT }, [], /Cherwell PCF advisory group|once it has been submitted/);
	});

	it('counts as the group’s once its lead approves a position someone else drafted', () => {
		rule({ action: 'pcf.position.approve', proposal: BID, group: GROUP, draftedBy: 6 }, ['lead'], /Only the lead|Cherwell PCF advisory group/);
		expect(can(PEOPLE.lead, { action: 'pcf.position.approve', proposal: BID, group: GROUP, draftedBy: 9 })).toMatchObject({ allowed: false, reason: /You drafted this position/ });
	});

	it('takes aggregated feedback from the group or an officer', () => {
		rule({ action: 'pcf.feedback.add', proposal: BID }, ['officer', 'rep', 'lead'], /Cherwell PCF advisory group/);
	});
});

describe('answers and checks', () => {
	it('are given by the proposal’s owner or an officer, never another setting’s SENCO or the point’s author', () => {
		rule({ action: 'pcf.point.answer', proposal: BID, point: { authorId: 6, answeredBy: null } }, ['officer', 'ownerHead', 'ownerSenco'], /Only staff of the setting leading the proposal|You raised this point/);
		expect(can(PEOPLE.officer, { action: 'pcf.point.answer', proposal: BID, point: { authorId: 1, answeredBy: null } })).toMatchObject({ allowed: false, reason: /You raised this point/ });
	});

	it('are checked by an officer and the lead, neither of whom wrote the point or its answer', () => {
		const point = { authorId: 6, answeredBy: 2 };
		rule({ action: 'pcf.point.check', proposal: BID, group: GROUP, point, as: 'officer' }, ['officer'], /officer’s check|someone else must check/);
		rule({ action: 'pcf.point.check', proposal: BID, group: GROUP, point, as: 'lead' }, ['lead'], /lead of the Cherwell|Cherwell PCF advisory group|someone else must check/);
		expect(can(PEOPLE.officer, { action: 'pcf.point.check', proposal: BID, group: GROUP, point: { authorId: 6, answeredBy: 1 }, as: 'officer' })).toMatchObject({
			allowed: false,
			reason: /someone else must check/
		});
	});

	it('once published, can be withdrawn by an officer or the lead', () => {
		rule({ action: 'pcf.point.withdraw', proposal: BID, group: GROUP }, ['officer', 'lead'], /Only a council officer or the PCF lead/);
	});
});

describe('consultations', () => {
	// Opened by the district's cluster lead (person 8) in a locality workspace (cluster 10) of Cherwell.
	const CONSULTATION: ProposalRef = { kind: 'consultation', id: 7, districtId: 1, districtName: 'Cherwell', submitted: true, ownerSettingId: null, partnerSettingIds: [], ownerUserId: 8, clusterId: 10 };
	const WORKSPACE = { clusterId: 10, clusterName: 'Banbury', districtId: 1 };

	it('are opened by an officer or a cluster lead, never a SENCO or a PCF representative', () => {
		rule({ action: 'pcf.consultation.open', workspace: WORKSPACE }, ['officer', 'clusterLead'], /Only a council officer or a lead of Banbury/);
		rule({ action: 'pcf.consultation.open', workspace: { clusterId: 20, clusterName: 'East Oxford', districtId: 2 } }, ['officer'], /lead of East Oxford/);
	});

	it('are closed and extended by their owner or an officer', () => {
		rule({ action: 'pcf.consultation.manage', proposal: CONSULTATION }, ['officer', 'clusterLead'], /Only the person who opened the consultation/);
	});

	it('on a steering group’s agenda have the group’s decision recorded by their owner or an officer, never the forum or setting staff', () => {
		rule({ action: 'pcf.steering.decide', proposal: CONSULTATION }, ['officer', 'clusterLead'], /Only the person who put this item on the steering group’s agenda, or a council officer/);
		rule({ action: 'pcf.steering.decide', proposal: { ...CONSULTATION, ownerUserId: 1 } }, ['officer'], /Only the person who put this item/);
	});

	it('are followed live in a list by whoever sees the workspace’s consultations; every workspace’s only by officers', () => {
		// The group reaches a locality through the district's localities, which its people's memberships list.
		rule({ action: 'pcf.consultations.follow', clusterId: 10 }, ['officer', 'clusterLead', 'ownerHead', 'ownerSenco', 'partnerSenco', 'otherSenco'], /your own workspaces/);
		rule({ action: 'pcf.consultations.follow', clusterId: 1 }, ['officer', 'clusterLead', 'ownerHead', 'ownerSenco', 'partnerSenco', 'otherSenco', 'rep', 'lead'], /your own workspaces/);
		rule({ action: 'pcf.consultations.follow', clusterId: null }, ['officer'], /Only council officers follow every workspace’s consultations/);
	});

	it('are read by the workspace and the district’s group, never another district’s representative', () => {
		rule({ action: 'pcf.advice.view', proposal: CONSULTATION }, ['officer', 'clusterLead', 'ownerHead', 'ownerSenco', 'partnerSenco', 'otherSenco', 'rep', 'lead'], /Cherwell PCF advisory group/);
	});

	it('take the group’s position until they close', () => {
		rule({ action: 'pcf.position.write', proposal: CONSULTATION }, ['rep', 'lead'], /Cherwell PCF advisory group/);
		rule({ action: 'pcf.position.write', proposal: { ...CONSULTATION, closed: true } }, [], /has closed/);
		rule({ action: 'pcf.feedback.add', proposal: { ...CONSULTATION, closed: true } }, [], /has closed/);
	});

	it('have their points answered by the owner or an officer, never the point’s author', () => {
		rule({ action: 'pcf.point.answer', proposal: CONSULTATION, point: { authorId: 6, answeredBy: null } }, ['officer', 'clusterLead'], /You raised this point|person who opened the consultation/);
		rule({ action: 'pcf.point.answer', proposal: CONSULTATION, point: { authorId: 8, answeredBy: null } }, ['officer'], /You raised this point|person who opened the consultation/);
	});
});

describe('a themed response across a whole funding round', () => {
	const ROUND: ProposalRef = { kind: 'round', id: 7, districtId: 1, districtName: 'Cherwell', submitted: true, ownerSettingId: null, ownerUserId: null, clusterId: 10, partnerSettingIds: [] };

	it('is read by the district’s group and officers only: not the staff of the settings bidding in it (it speaks of each other’s bids), nor another district’s representative', () => {
		rule({ action: 'pcf.advice.view', proposal: ROUND }, ['officer', 'rep', 'lead'], /Cherwell PCF advisory group/);
	});

	it('is written by the district’s representatives and approved by its lead, as for one bid', () => {
		rule({ action: 'pcf.position.write', proposal: ROUND }, ['rep', 'lead'], /Only the Cherwell PCF advisory group/);
		rule({ action: 'pcf.position.approve', proposal: ROUND, group: GROUP, draftedBy: 6 }, ['lead'], /Only the lead|Cherwell PCF advisory group/);
		rule({ action: 'pcf.feedback.add', proposal: ROUND }, ['officer', 'rep', 'lead'], /Cherwell PCF advisory group/);
	});

	it('is answered by a council officer only: the round is the council’s, so no setting answers for every bid', () => {
		rule({ action: 'pcf.point.answer', proposal: ROUND, point: { authorId: 6, answeredBy: null } }, ['officer'], /Only a council officer can answer the forum’s points on a whole funding round|You raised this point/);
	});

	it('is checked by an officer and the lead before it is public', () => {
		const point = { authorId: 6, answeredBy: 1 };
		rule({ action: 'pcf.point.check', proposal: ROUND, group: GROUP, point: { authorId: 6, answeredBy: 2 }, as: 'officer' }, ['officer'], /council officer|You wrote this point/);
		rule({ action: 'pcf.point.check', proposal: ROUND, group: GROUP, point, as: 'lead' }, ['lead'], /lead of the Cherwell|Cherwell PCF advisory group|You wrote this point or its answer/);
	});
});

describe('the forum’s advice on an inclusion-base application, of any line', () => {
	const APPLICATION: ProposalRef = { kind: 'application', id: 11, districtId: 1, districtName: 'Cherwell', submitted: true, ownerSettingId: 100, partnerSettingIds: [101], clusterId: 1 };
	const DRAFT_APPLICATION: ProposalRef = { ...APPLICATION, submitted: false };

	it('is read by the district’s group from submission, the applying settings’ staff and officers; not another district’s representative', () => {
		rule({ action: 'pcf.advice.view', proposal: APPLICATION }, ['officer', 'ownerHead', 'ownerSenco', 'partnerSenco', 'rep', 'lead'], /Cherwell PCF advisory group/);
		rule({ action: 'pcf.advice.view', proposal: DRAFT_APPLICATION }, ['officer', 'ownerHead', 'ownerSenco', 'partnerSenco'], /once it has been submitted|Cherwell PCF advisory group/);
	});

	it('is open to a representative exactly when the capital application policy lets them see the application (submitted, never a draft)', () => {
		for (const process of ['scheme', 'grant', 'rollout'] as const) {
			for (const stage of ['draft', 'submitted', 'more_information', 'in_assessment', 'approved', 'declined'] as const) {
				const application = { id: 11, stage, process, districtId: 1, leadSettingId: 100, settingIds: [100, 101] };
				const proposal = { ...APPLICATION, submitted: stage !== 'draft' };
				for (const who of ['rep', 'otherDistrictRep'] as const) {
					expect(can(PEOPLE[who], { action: 'pcf.advice.view', proposal }).allowed, `${who}, ${process} ${stage}`).toBe(can(PEOPLE[who], { action: 'capital.application.view', application }).allowed);
				}
			}
		}
	});

	it('takes a position from the district’s representatives only: never the applying setting’s headteacher or SENCO, nor on a draft', () => {
		rule({ action: 'pcf.position.write', proposal: APPLICATION }, ['rep', 'lead'], /Only the Cherwell PCF advisory group/);
		rule({ action: 'pcf.position.write', proposal: DRAFT_APPLICATION }, [], /Cherwell PCF advisory group|once it has been submitted/);
		rule({ action: 'pcf.position.approve', proposal: APPLICATION, group: GROUP, draftedBy: 6 }, ['lead'], /Only the lead|Cherwell PCF advisory group/);
	});

	it('is answered by the applying setting’s staff or an officer: not a covered school’s staff, and never the point’s own author', () => {
		rule(
			{ action: 'pcf.point.answer', proposal: APPLICATION, point: { authorId: 6, answeredBy: null } },
			['officer', 'ownerHead', 'ownerSenco'],
			/Only staff of the setting that made the application, or a council officer|You raised this point/
		);
		expect(can(PEOPLE.ownerHead, { action: 'pcf.point.answer', proposal: APPLICATION, point: { authorId: 2, answeredBy: null } })).toMatchObject({ allowed: false, reason: /You raised this point/ });
	});
});
