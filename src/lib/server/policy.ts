import type { Actor } from './auth/actor';
import type { CountyRole } from '$lib/roles';

/**
 * The one place that says who may see and do what. Every tRPC procedure, page load, form action
 * and socket.io event asks here, so a rule changes in one place and is tested in one place.
 * A refusal carries a reason a headteacher would understand.
 */
export type Decision = { allowed: true } | { allowed: false; reason: string };

export interface ClusterRef {
	id: number;
	name: string;
	kind: string;
	status?: string;
}

export type PolicyCheck =
	| { action: 'workspace.view'; cluster: ClusterRef }
	| { action: 'county.view' }
	| { action: 'clusters.manage' }
	| { action: 'people.view' }
	| { action: 'people.manage' }
	| { action: 'people.grantCountyRole'; role: CountyRole }
	| { action: 'people.changeAccount'; person: AccountRef; change: AccountChange }
	| { action: 'mail.viewOutbox' }
	| { action: 'notification.update'; notification: { user_id: number } }
	| { action: 'live.joinUserRoom'; userId: number }
	| BidCheck;

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
	| { action: 'round.open'; cluster: ClusterRef & { leadsMayOpenRounds: boolean } }
	| { action: 'round.manage'; round: RoundRef }
	| { action: 'round.view'; round: RoundRef }
	| { action: 'round.export'; round: RoundRef }
	| { action: 'bid.create'; round: RoundRef; leadSetting: SettingRef }
	| { action: 'bid.view'; bid: BidRef }
	| { action: 'bid.edit'; bid: BidRef }
	| { action: 'bid.managePartners'; bid: BidRef }
	| { action: 'bid.confirmPledge'; bid: BidRef; settingId: number }
	| { action: 'bid.submit'; bid: BidRef }
	| { action: 'bid.withdraw'; bid: BidRef }
	| { action: 'bid.endorse'; bid: BidRef; setting: SettingRef }
	| { action: 'bid.decide'; bid: BidRef }
	| { action: 'bid.updateMilestone'; bid: BidRef };

/** The person whose account an officer is changing. */
export interface AccountRef {
	id: number;
	countyRole: CountyRole | null;
}
/** roles: setting and cluster roles; countyRole: officer/admin; status: deactivate or reactivate. */
export type AccountChange = 'roles' | 'countyRole' | 'status';

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function isCountyStaff(actor: Actor | null): boolean {
	return actor?.countyRole === 'officer' || actor?.countyRole === 'admin';
}

export function can(actor: Actor | null, check: PolicyCheck): Decision {
	if (!actor) return deny('You need to sign in first.');
	switch (check.action) {
		case 'workspace.view':
			if (isCountyStaff(actor)) return allow;
			if (actor.clusterIds.includes(check.cluster.id)) return allow;
			return deny(
				`You are not a member of the ${check.cluster.name} ${check.cluster.kind} cluster. ` +
					'Workspaces are open to the people in that cluster and to council officers.'
			);
		case 'county.view':
			return isCountyStaff(actor) ? allow : deny('Only council officers can see the whole county.');
		case 'clusters.manage':
			return isCountyStaff(actor)
				? allow
				: deny('Only council officers can create, rename, merge or retire clusters, or move settings between them.');
		case 'people.view':
		case 'people.manage':
			return isCountyStaff(actor)
				? allow
				: deny('Only council officers can invite people, change their roles or deactivate accounts.');
		case 'people.grantCountyRole':
			if (actor.countyRole === 'admin') return allow;
			return deny('Only an administrator can make someone a council officer or administrator, or remove that role.');
		case 'people.changeAccount':
			if (!isCountyStaff(actor)) {
				return deny('Only council officers can invite people, change their roles or deactivate accounts.');
			}
			// Otherwise an officer could lock an administrator out, or strip their rights.
			if (check.person.countyRole === 'admin' && actor.countyRole !== 'admin') {
				return deny('Only an administrator can change an administrator’s account.');
			}
			// Nobody can lock themselves out or raise their own rights; another officer must do it.
			if (check.person.id === actor.id && check.change === 'status') {
				return deny('You cannot deactivate or reactivate your own account. Ask another officer.');
			}
			if (check.person.id === actor.id && check.change === 'countyRole') {
				return deny('You cannot change your own county role. Ask another administrator.');
			}
			return allow;
		case 'mail.viewOutbox':
			return isCountyStaff(actor) ? allow : deny('Only council officers can read the outgoing mail log.');
		case 'notification.update':
			return check.notification.user_id === actor.id ? allow : deny('That notification belongs to someone else.');
		case 'round.open':
		case 'round.manage':
		case 'round.view':
		case 'round.export':
		case 'bid.create':
		case 'bid.view':
		case 'bid.edit':
		case 'bid.managePartners':
		case 'bid.confirmPledge':
		case 'bid.submit':
		case 'bid.withdraw':
		case 'bid.endorse':
		case 'bid.decide':
		case 'bid.updateMilestone':
			return canOnBids(actor, check);
		case 'live.joinUserRoom':
			return check.userId === actor.id ? allow : deny('You can only receive your own notifications.');
	}
}

// ---------- Pooled-funding bids ----------

const staffAt = (actor: Actor, settingId: number) => actor.settingRoles.some((r) => r.settingId === settingId);
const headteacherAt = (actor: Actor, settingId: number) =>
	actor.settingRoles.some((r) => r.settingId === settingId && r.role === 'headteacher');
const inCluster = (setting: SettingRef, clusterId: number) => setting.clusterId === clusterId || setting.districtId === clusterId;
const memberOf = (actor: Actor, clusterId: number) => isCountyStaff(actor) || actor.clusterIds.includes(clusterId);
const writes = (actor: Actor, bid: BidRef) =>
	staffAt(actor, bid.leadSettingId) || bid.partnerSettingIds.some((id) => staffAt(actor, id));
const leadsCluster = (actor: Actor, clusterId: number) =>
	actor.clusterRoles.some((r) => r.clusterId === clusterId && r.role === 'cluster_lead');

function canOnBids(actor: Actor, check: BidCheck): Decision {
	switch (check.action) {
		case 'round.open':
			if (isCountyStaff(actor)) return allow;
			if (check.cluster.leadsMayOpenRounds && leadsCluster(actor, check.cluster.id)) return allow;
			return deny(
				'Only council officers open funding rounds. A cluster lead can when an officer has allowed it for their cluster.'
			);
		case 'round.manage':
			if (isCountyStaff(actor)) return allow;
			if (check.round.leadsMayOpenRounds && leadsCluster(actor, check.round.clusterId)) return allow;
			return deny('Only council officers (or the cluster lead, where allowed) can change or close a funding round.');
		case 'round.view':
			return memberOf(actor, check.round.clusterId)
				? allow
				: deny(`Funding rounds of the ${check.round.clusterName} cluster are open to its members and council officers.`);
		case 'round.export':
			return isCountyStaff(actor) ? allow : deny('Only council officers can export a round for Schools Forum.');
		case 'bid.create':
			if (!staffAt(actor, check.leadSetting.id)) {
				return deny(`Only the headteacher or SENCO of ${check.leadSetting.name} can start a bid for it.`);
			}
			if (!inCluster(check.leadSetting, check.round.clusterId)) {
				return deny(`${check.leadSetting.name} is not in the ${check.round.clusterName} cluster, so it cannot bid in this round.`);
			}
			return allow;
		case 'bid.view':
			return memberOf(actor, check.bid.clusterId)
				? allow
				: deny(`Bids in the ${check.bid.clusterName} cluster are open to its members and council officers.`);
		case 'bid.edit':
		case 'bid.updateMilestone':
			return writes(actor, check.bid)
				? allow
				: deny('Only staff of the lead and partner settings can write this bid.');
		case 'bid.managePartners':
			return staffAt(actor, check.bid.leadSettingId)
				? allow
				: deny('Only staff of the lead setting can add or remove partner settings.');
		case 'bid.confirmPledge':
			if (check.settingId !== check.bid.leadSettingId && !check.bid.partnerSettingIds.includes(check.settingId)) {
				return deny('That setting is not part of this bid.');
			}
			return headteacherAt(actor, check.settingId)
				? allow
				: deny('Only the headteacher of that setting can confirm its pledge.');
		case 'bid.submit':
			return headteacherAt(actor, check.bid.leadSettingId)
				? allow
				: deny('Only the lead setting’s headteacher can sign off and submit the bid.');
		case 'bid.withdraw':
			return headteacherAt(actor, check.bid.leadSettingId)
				? allow
				: deny('Only the lead setting’s headteacher can withdraw the bid.');
		case 'bid.endorse':
			if (!inCluster(check.setting, check.bid.clusterId)) {
				return deny(`${check.setting.name} is not in the ${check.bid.clusterName} cluster.`);
			}
			return headteacherAt(actor, check.setting.id)
				? allow
				: deny(`Only the headteacher of ${check.setting.name} can endorse or object for it.`);
		case 'bid.decide':
			return isCountyStaff(actor) ? allow : deny('Only council officers decide on bids.');
	}
}
