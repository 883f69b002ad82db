import type { Actor } from '../auth/actor';
import { allow, deny, independentOf, isCountyStaff, memberOf, type ClusterRef, type Decision, type Involvement, type RuleMap } from '../decision';

// Who may open and run funding rounds, and write, endorse and decide bids. Merged into `can()`.

/** A setting and where it sits in the cluster tree. */
export interface SettingRef {
	id: number;
	name: string;
	clusterId: number;
	districtId: number;
}
export interface RoundRef {
	id: number;
	clusterId: number;
	clusterName: string;
	/** Whether an officer lets this cluster's lead open and manage rounds. */
	leadsMayOpenRounds: boolean;
}
export interface BidRef {
	id: number;
	clusterId: number;
	clusterName: string;
	leadSettingId: number;
	partnerSettingIds: number[];
}
export type BidCheck =
	| { action: 'round.open'; cluster: ClusterRef & { status: string; leadsMayOpenRounds: boolean } }
	| { action: 'round.manage'; round: RoundRef }
	| { action: 'round.view'; round: RoundRef }
	| { action: 'round.export'; round: RoundRef }
	| { action: 'bid.create'; round: RoundRef; leadSetting: SettingRef }
	| { action: 'bid.view'; bid: BidRef }
	| { action: 'bid.edit'; bid: BidRef }
	| { action: 'bid.managePartners'; bid: BidRef }
	| { action: 'bid.writePledge'; bid: BidRef; settingId: number }
	| { action: 'bid.confirmPledge'; bid: BidRef; settingId: number }
	| { action: 'bid.submit'; bid: BidRef }
	| { action: 'bid.withdraw'; bid: BidRef }
	| { action: 'bid.endorse'; bid: BidRef; setting: SettingRef; involvement: readonly Involvement[] }
	| { action: 'bid.decide'; bid: BidRef; involvement: readonly Involvement[] }
	| { action: 'bid.updateMilestone'; bid: BidRef };

/** A cluster holds a setting when it is the setting's locality or that locality's district. */
const inCluster = (setting: SettingRef, clusterId: number) => setting.clusterId === clusterId || setting.districtId === clusterId;
/**
 * A role at a setting counts for a bid only while that setting is still in the bid's cluster: a
 * setting moved elsewhere loses the bid with the workspace (the same membership the read rule asks).
 */
const roleAt = (actor: Actor, settingId: number, clusterId: number, role?: 'headteacher') =>
	actor.settingRoles.some(
		(r) => r.settingId === settingId && (r.clusterId === clusterId || r.districtId === clusterId) && (!role || r.role === role)
	);
const bidSettings = (bid: BidRef) => [bid.leadSettingId, ...bid.partnerSettingIds];
const writes = (actor: Actor, bid: BidRef) => bidSettings(bid).some((id) => roleAt(actor, id, bid.clusterId));
const leadsCluster = (actor: Actor, clusterId: number) =>
	actor.clusterRoles.some((r) => r.clusterId === clusterId && r.role === 'cluster_lead');
const notAMember = (bid: BidRef) => deny(`Bids in the ${bid.clusterName} cluster are open to its members and council officers.`);

/** Writing never reaches further than reading: whoever may not view the bid may not change it. */
const onBid =
	<C extends { bid: BidRef }>(rule: (actor: Actor, check: C) => Decision) =>
	(actor: Actor, check: C): Decision =>
		memberOf(actor, check.bid.clusterId) ? rule(actor, check) : notAMember(check.bid);

const headOfLead = (actor: Actor, bid: BidRef) => roleAt(actor, bid.leadSettingId, bid.clusterId, 'headteacher');

export const bidRules: RuleMap<BidCheck> = {
	'round.open': (actor, { cluster }) => {
		if (!isCountyStaff(actor) && !(cluster.leadsMayOpenRounds && leadsCluster(actor, cluster.id))) {
			return deny('Only council officers open funding rounds. A cluster lead can when an officer has allowed it for their cluster.');
		}
		return cluster.status === 'active' ? allow : deny('This cluster has been retired, so it cannot open a funding round.');
	},
	'round.manage': (actor, check) => {
		if (isCountyStaff(actor)) return allow;
		if (check.round.leadsMayOpenRounds && leadsCluster(actor, check.round.clusterId)) return allow;
		return deny('Only council officers (or the cluster lead, where allowed) can change or close a funding round.');
	},
	'round.view': (actor, check) =>
		memberOf(actor, check.round.clusterId)
			? allow
			: deny(`Funding rounds of the ${check.round.clusterName} cluster are open to its members and council officers.`),
	'round.export': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can export a round for Schools Forum.')),
	'bid.create': (actor, check) => {
		if (!inCluster(check.leadSetting, check.round.clusterId)) {
			return deny(`${check.leadSetting.name} is not in the ${check.round.clusterName} cluster, so it cannot bid in this round.`);
		}
		if (!memberOf(actor, check.round.clusterId) || !roleAt(actor, check.leadSetting.id, check.round.clusterId)) {
			return deny(`Only the headteacher or SENCO of ${check.leadSetting.name} can start a bid for it.`);
		}
		return allow;
	},
	'bid.view': (actor, check) => (memberOf(actor, check.bid.clusterId) ? allow : notAMember(check.bid)),
	'bid.edit': onBid((actor, { bid }) => (writes(actor, bid) ? allow : deny('Only staff of the lead and partner settings can write this bid.'))),
	'bid.updateMilestone': onBid((actor, { bid }) =>
		writes(actor, bid) ? allow : deny('Only staff of the lead and partner settings can write this bid.')
	),
	'bid.managePartners': onBid((actor, { bid }) =>
		roleAt(actor, bid.leadSettingId, bid.clusterId) ? allow : deny('Only staff of the lead setting can add or remove partner settings.')
	),
	'bid.writePledge': onBid((actor, { bid, settingId }) => {
		if (!bidSettings(bid).includes(settingId)) return deny('That setting is not part of this bid.');
		return roleAt(actor, settingId, bid.clusterId) ? allow : deny('Only the headteacher or SENCO of that setting can change its pledge.');
	}),
	'bid.confirmPledge': onBid((actor, { bid, settingId }) => {
		if (!bidSettings(bid).includes(settingId)) return deny('That setting is not part of this bid.');
		return roleAt(actor, settingId, bid.clusterId, 'headteacher')
			? allow
			: deny('Only the headteacher of that setting can confirm its pledge.');
	}),
	'bid.submit': onBid((actor, { bid }) =>
		headOfLead(actor, bid) ? allow : deny('Only the lead setting’s headteacher can sign off and submit the bid.')
	),
	'bid.withdraw': onBid((actor, { bid }) => (headOfLead(actor, bid) ? allow : deny('Only the lead setting’s headteacher can withdraw the bid.'))),
	'bid.endorse': onBid((actor, { bid, setting, involvement }) => {
		if (!inCluster(setting, bid.clusterId)) return deny(`${setting.name} is not in the ${bid.clusterName} cluster.`);
		// Endorsement is the rest of the cluster's judgement of a bid, so the bid's own settings have no say.
		if (bidSettings(bid).includes(setting.id)) {
			return deny(`${setting.name} is part of this bid, so it cannot endorse or object: the cluster’s other settings do.`);
		}
		if (!roleAt(actor, setting.id, bid.clusterId, 'headteacher')) {
			return deny(`Only the headteacher of ${setting.name} can endorse or object for it.`);
		}
		return independentOf(
			actor,
			{ noun: 'bid', settingIds: bidSettings(bid), involvement: involvement.filter((i) => i !== 'endorsed' && i !== 'objected') },
			'another setting’s headteacher must endorse or object'
		);
	}),
	'bid.decide': onBid((actor, { bid, involvement }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers decide on bids.');
		return independentOf(actor, { noun: 'bid', settingIds: bidSettings(bid), involvement }, 'another officer must decide it');
	})
};
