import { describe, expect, it } from 'vitest';
import { can, type BidRef, type RoundRef, type SettingRef } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';

// Banbury locality (10) in Cherwell (1). Meadowside (100) leads a bid with Castlebrook (101) as
// partner; Orchard (102) is another Banbury setting; Brook (200) is in Bicester (20).
const MEADOW: SettingRef = { id: 100, name: 'Meadowside Primary', clusterId: 10, districtId: 1 };
const CASTLE: SettingRef = { id: 101, name: 'Castlebrook Academy', clusterId: 10, districtId: 1 };
const ORCHARD: SettingRef = { id: 102, name: 'Orchard Fields Primary', clusterId: 10, districtId: 1 };
const BROOK: SettingRef = { id: 200, name: 'Bicester Brook Primary', clusterId: 20, districtId: 1 };
const ROUND: RoundRef = { id: 1, clusterId: 10, clusterName: 'Banbury', leadsMayOpenRounds: false };
const BID: BidRef = { id: 5, clusterId: 10, clusterName: 'Banbury', leadSettingId: 100, partnerSettingIds: [101] };

function person(id: number, roles: Partial<Actor>): Actor {
	return { id, name: `Person ${id}`, email: `p${id}@example.test`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [], ...roles };
}
const at = (setting: SettingRef, role: 'headteacher' | 'senco') =>
	person(setting.id * 10 + (role === 'headteacher' ? 1 : 2), {
		settingRoles: [{ settingId: setting.id, settingName: setting.name, clusterId: setting.clusterId, role }],
		clusterIds: [setting.districtId, setting.clusterId]
	});

const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	admin: person(2, { countyRole: 'admin' }),
	leadHead: at(MEADOW, 'headteacher'),
	leadSenco: at(MEADOW, 'senco'),
	partnerHead: at(CASTLE, 'headteacher'),
	partnerSenco: at(CASTLE, 'senco'),
	otherHead: at(ORCHARD, 'headteacher'),
	outsiderHead: at(BROOK, 'headteacher'),
	pcfRep: person(3, { clusterRoles: [{ clusterId: 1, clusterName: 'Cherwell', clusterKind: 'district', role: 'pcf_rep' }], clusterIds: [1, 10, 20] }),
	clusterLead: person(4, { clusterRoles: [{ clusterId: 10, clusterName: 'Banbury', clusterKind: 'locality', role: 'cluster_lead' }], clusterIds: [1, 10] }),
	stranger: person(5, { clusterIds: [2, 30] })
};
type Who = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Who[];

/** Checks a rule for every person: exactly `allowed` may; everyone else is refused with a reason. */
function rule(check: Parameters<typeof can>[1], allowed: Who[], says: RegExp) {
	for (const who of EVERYONE) {
		const decision = can(PEOPLE[who], check);
		if (allowed.includes(who)) {
			expect(decision, `${who} should be allowed ${check.action}`).toEqual({ allowed: true });
		} else {
			expect(decision.allowed, `${who} should be refused ${check.action}`).toBe(false);
			if (!decision.allowed) {
				expect(decision.reason).toMatch(says);
				expect(decision.reason).toMatch(/\.$/);
			}
		}
	}
	expect(can(null, check).allowed).toBe(false);
}

describe('bid policy, for every role both ways', () => {
	it('only officers open rounds, unless an officer lets the cluster lead', () => {
		const cluster = { id: 10, name: 'Banbury', kind: 'locality', leadsMayOpenRounds: false };
		rule({ action: 'round.open', cluster }, ['officer', 'admin'], /council officers/);
		rule({ action: 'round.open', cluster: { ...cluster, leadsMayOpenRounds: true } }, ['officer', 'admin', 'clusterLead'], /council officers/);
		rule({ action: 'round.manage', round: ROUND }, ['officer', 'admin'], /council officers/);
		rule({ action: 'round.manage', round: { ...ROUND, leadsMayOpenRounds: true } }, ['officer', 'admin', 'clusterLead'], /council officers/);
	});

	it('rounds and bids are visible to cluster members and officers only', () => {
		const members: Who[] = ['officer', 'admin', 'leadHead', 'leadSenco', 'partnerHead', 'partnerSenco', 'otherHead', 'pcfRep', 'clusterLead'];
		rule({ action: 'round.view', round: ROUND }, members, /open to its members/);
		rule({ action: 'bid.view', bid: BID }, members, /open to its members/);
		rule({ action: 'round.export', round: ROUND }, ['officer', 'admin'], /Schools Forum/);
	});

	it('staff of a setting in the cluster start bids for that setting only', () => {
		rule({ action: 'bid.create', round: ROUND, leadSetting: MEADOW }, ['leadHead', 'leadSenco'], /Meadowside/);
		rule({ action: 'bid.create', round: ROUND, leadSetting: BROOK }, [], /Bicester Brook/);
		expect(can(PEOPLE.outsiderHead, { action: 'bid.create', round: ROUND, leadSetting: BROOK })).toMatchObject({
			allowed: false,
			reason: expect.stringMatching(/not in the Banbury cluster/)
		});
	});

	it('lead and partner staff write; only lead staff manage partners', () => {
		const writers: Who[] = ['leadHead', 'leadSenco', 'partnerHead', 'partnerSenco'];
		rule({ action: 'bid.edit', bid: BID }, writers, /lead and partner settings/);
		rule({ action: 'bid.updateMilestone', bid: BID }, writers, /lead and partner settings/);
		rule({ action: 'bid.managePartners', bid: BID }, ['leadHead', 'leadSenco'], /lead setting/);
	});

	it('only a setting’s own headteacher confirms its pledge, and only for settings in the bid', () => {
		rule({ action: 'bid.confirmPledge', bid: BID, settingId: CASTLE.id }, ['partnerHead'], /headteacher of that setting/);
		rule({ action: 'bid.confirmPledge', bid: BID, settingId: MEADOW.id }, ['leadHead'], /headteacher of that setting/);
		rule({ action: 'bid.confirmPledge', bid: BID, settingId: ORCHARD.id }, [], /not part of this bid/);
	});

	it('only the lead headteacher submits and withdraws', () => {
		rule({ action: 'bid.submit', bid: BID }, ['leadHead'], /lead setting’s headteacher/);
		rule({ action: 'bid.withdraw', bid: BID }, ['leadHead'], /lead setting’s headteacher/);
	});

	it('each cluster setting’s headteacher endorses for that setting; outsiders cannot', () => {
		rule({ action: 'bid.endorse', bid: BID, setting: ORCHARD }, ['otherHead'], /Orchard Fields/);
		rule({ action: 'bid.endorse', bid: BID, setting: CASTLE }, ['partnerHead'], /Castlebrook/);
		rule({ action: 'bid.endorse', bid: BID, setting: BROOK }, [], /not in the Banbury cluster/);
	});

	it('only officers decide', () => {
		rule({ action: 'bid.decide', bid: BID }, ['officer', 'admin'], /council officers decide/);
	});
});
