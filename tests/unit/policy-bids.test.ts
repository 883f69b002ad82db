import { describe, expect, it } from 'vitest';
import { can, independentOf, type BidRef, type Involvement, type RoundRef, type SettingRef } from '../../src/lib/server/policy';
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
		settingRoles: [{ settingId: setting.id, settingName: setting.name, clusterId: setting.clusterId, districtId: setting.districtId, role }],
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

const READ_ONLY = ['round.open', 'round.manage', 'round.view', 'round.export', 'bid.create', 'bid.view'];

/**
 * Checks a rule for every person: exactly `allowed` may; everyone else is refused with a reason.
 * A person outside the bid's cluster is refused any bid write with the same reason as viewing it.
 */
function rule(check: Parameters<typeof can>[1], allowed: Who[], says: RegExp) {
	for (const who of EVERYONE) {
		const decision = can(PEOPLE[who], check);
		const outsider = !READ_ONLY.includes(check.action) && !can(PEOPLE[who], { action: 'bid.view', bid: BID }).allowed;
		if (outsider) {
			expect(decision, `${who} outside the cluster should be refused ${check.action}`).toEqual({
				allowed: false,
				reason: 'Bids in the Banbury cluster are open to its members and council officers.'
			});
			continue;
		}
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
		const cluster = { id: 10, name: 'Banbury', kind: 'locality', status: 'active', leadsMayOpenRounds: false };
		rule({ action: 'round.open', cluster }, ['officer', 'admin'], /council officers/);
		rule({ action: 'round.open', cluster: { ...cluster, leadsMayOpenRounds: true } }, ['officer', 'admin', 'clusterLead'], /council officers/);
		rule({ action: 'round.manage', round: ROUND }, ['officer', 'admin'], /council officers/);
		rule({ action: 'round.manage', round: { ...ROUND, leadsMayOpenRounds: true } }, ['officer', 'admin', 'clusterLead'], /council officers/);
	});

	it('nobody opens a round in a retired cluster; whoever could not anyway hears why not', () => {
		const retired = { id: 10, name: 'Banbury', kind: 'locality', status: 'retired', leadsMayOpenRounds: true };
		rule({ action: 'round.open', cluster: retired }, [], /council officers|retired/);
		for (const who of ['officer', 'admin', 'clusterLead'] as const) {
			expect(can(PEOPLE[who], { action: 'round.open', cluster: retired })).toEqual({
				allowed: false,
				reason: 'This cluster has been retired, so it cannot open a funding round.'
			});
		}
		expect(can(PEOPLE.leadHead, { action: 'round.open', cluster: retired })).toMatchObject({ reason: expect.stringMatching(/council officers/) });
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

	it('a setting’s pledge is written only by its own headteacher or SENCO', () => {
		rule({ action: 'bid.writePledge', bid: BID, settingId: MEADOW.id }, ['leadHead', 'leadSenco'], /headteacher or SENCO of that setting/);
		rule({ action: 'bid.writePledge', bid: BID, settingId: CASTLE.id }, ['partnerHead', 'partnerSenco'], /headteacher or SENCO of that setting/);
		rule({ action: 'bid.writePledge', bid: BID, settingId: ORCHARD.id }, [], /not part of this bid|open to its members/);
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

	it('only the headteacher of a cluster setting outside the bid endorses; the bid’s own settings cannot', () => {
		const none: Involvement[] = [];
		rule({ action: 'bid.endorse', bid: BID, setting: ORCHARD, involvement: none }, ['otherHead'], /Orchard Fields/);
		rule({ action: 'bid.endorse', bid: BID, setting: CASTLE, involvement: none }, [], /Castlebrook Academy is part of this bid, so it cannot endorse or object|open to its members/);
		rule({ action: 'bid.endorse', bid: BID, setting: MEADOW, involvement: none }, [], /part of this bid|open to its members/);
		rule({ action: 'bid.endorse', bid: BID, setting: BROOK, involvement: none }, [], /not in the Banbury cluster/);
	});

	it('a headteacher who wrote part of the bid (through another setting) cannot endorse it', () => {
		const twoHats = person(77, {
			settingRoles: [
				{ settingId: ORCHARD.id, settingName: ORCHARD.name, clusterId: 10, districtId: 1, role: 'headteacher' },
				{ settingId: CASTLE.id, settingName: CASTLE.name, clusterId: 10, districtId: 1, role: 'senco' }
			],
			clusterIds: [1, 10]
		});
		expect(can(twoHats, { action: 'bid.endorse', bid: BID, setting: ORCHARD, involvement: [] })).toMatchObject({
			allowed: false,
			reason: 'You work at Castlebrook Academy, which is part of this bid, so another setting’s headteacher must endorse or object.'
		});
		expect(can(PEOPLE.otherHead, { action: 'bid.endorse', bid: BID, setting: ORCHARD, involvement: ['wrote'] })).toMatchObject({
			allowed: false,
			reason: expect.stringMatching(/^You wrote part of this bid/)
		});
		// Having given a view already (for another setting) is no bar: the database allows one view per setting.
		expect(can(PEOPLE.otherHead, { action: 'bid.endorse', bid: BID, setting: ORCHARD, involvement: ['endorsed'] })).toEqual({ allowed: true });
	});

	it('only officers decide, and never on a bid they took part in', () => {
		rule({ action: 'bid.decide', bid: BID, involvement: [] }, ['officer', 'admin'], /council officers decide/);
		const cases: [Involvement, RegExp][] = [
			['endorsed', /^You endorsed this bid, so another officer must decide it\.$/],
			['objected', /^You objected to this bid, so another officer must decide it\.$/],
			['pledged', /^You confirmed a pledge to this bid, so another officer must decide it\.$/],
			['wrote', /^You wrote part of this bid, so another officer must decide it\.$/],
			['led', /^You led this bid, so another officer must decide it\.$/]
		];
		for (const [involvement, says] of cases) {
			for (const who of ['officer', 'admin'] as const) {
				const decision = can(PEOPLE[who], { action: 'bid.decide', bid: BID, involvement: [involvement] });
				expect(decision, `${who} who ${involvement}`).toMatchObject({ allowed: false, reason: expect.stringMatching(says) });
			}
		}
		// An officer who holds a role at one of the bid's settings has an interest in it, whatever they did.
		const officerWithSchool = { ...PEOPLE.officer, settingRoles: PEOPLE.partnerSenco.settingRoles };
		expect(can(officerWithSchool, { action: 'bid.decide', bid: BID, involvement: [] })).toMatchObject({
			allowed: false,
			reason: 'You work at Castlebrook Academy, which is part of this bid, so another officer must decide it.'
		});
		// A role at a setting outside the bid is no bar.
		const officerElsewhere = { ...PEOPLE.officer, settingRoles: PEOPLE.otherHead.settingRoles };
		expect(can(officerElsewhere, { action: 'bid.decide', bid: BID, involvement: [] })).toEqual({ allowed: true });
	});

	it('separation of duties is one rule any judgement can ask', () => {
		const work = { noun: 'expression of interest', settingIds: [MEADOW.id], involvement: [] as Involvement[] };
		expect(independentOf(PEOPLE.officer, work, 'another officer must score it')).toEqual({ allowed: true });
		expect(independentOf(PEOPLE.officer, { ...work, involvement: ['wrote'] }, 'another officer must score it')).toEqual({
			allowed: false,
			reason: 'You wrote part of this expression of interest, so another officer must score it.'
		});
		expect(independentOf(PEOPLE.leadSenco, work, 'another panel member must sit')).toMatchObject({
			allowed: false,
			reason: expect.stringMatching(/^You work at Meadowside Primary/)
		});
	});

	it('a setting moved to another cluster loses every write on its old cluster’s bids, as it loses the view', () => {
		// Castlebrook moved from Banbury (10) to Bicester (20): its people's roles now say so.
		const moved = (role: 'headteacher' | 'senco') =>
			person(900 + (role === 'headteacher' ? 1 : 2), {
				settingRoles: [{ settingId: CASTLE.id, settingName: CASTLE.name, clusterId: 20, districtId: 1, role }],
				clusterIds: [1, 20]
			});
		const checks = [
			{ action: 'bid.edit', bid: BID },
			{ action: 'bid.updateMilestone', bid: BID },
			{ action: 'bid.writePledge', bid: BID, settingId: CASTLE.id },
			{ action: 'bid.confirmPledge', bid: BID, settingId: CASTLE.id }
		] as const;
		for (const who of [moved('headteacher'), moved('senco')]) {
			for (const check of checks) {
				const decision = can(who, check);
				expect(decision, `${check.action} after the move`).toMatchObject({ allowed: false, reason: expect.stringMatching(/open to its members/) });
			}
			expect(can(who, { action: 'bid.view', bid: BID }).allowed).toBe(false);
		}
		// Still a member through the district? A district-wide member still cannot write for a setting that left the bid's locality.
		const districtMember = person(903, {
			settingRoles: [{ settingId: CASTLE.id, settingName: CASTLE.name, clusterId: 20, districtId: 1, role: 'headteacher' }],
			clusterIds: [1, 10, 20]
		});
		expect(can(districtMember, { action: 'bid.view', bid: BID }).allowed).toBe(true);
		for (const check of [...checks, { action: 'bid.submit', bid: BID } as const]) {
			expect(can(districtMember, check).allowed, check.action).toBe(false);
		}
		const leadMoved = person(904, {
			settingRoles: [{ settingId: MEADOW.id, settingName: MEADOW.name, clusterId: 20, districtId: 1, role: 'headteacher' }],
			clusterIds: [1, 10, 20]
		});
		for (const action of ['bid.submit', 'bid.withdraw', 'bid.managePartners'] as const) {
			expect(can(leadMoved, { action, bid: BID }).allowed, action).toBe(false);
		}
	});
});
