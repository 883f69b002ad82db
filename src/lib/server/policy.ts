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
	| { action: 'people.invite'; email: string }
	| { action: 'invitation.accept'; invitation: { email: string; invitedBy: number } }
	| { action: 'mail.viewOutbox' }
	| { action: 'notification.update'; notification: { user_id: number } }
	| { action: 'live.joinUserRoom'; userId: number }
	| { action: 'account.changePassword'; userId: number }
	| { action: 'account.signOut'; userId: number }
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
	| { action: 'bid.writePledge'; bid: BidRef; settingId: number }
	| { action: 'bid.confirmPledge'; bid: BidRef; settingId: number }
	| { action: 'bid.submit'; bid: BidRef }
	| { action: 'bid.withdraw'; bid: BidRef }
	| { action: 'bid.endorse'; bid: BidRef; setting: SettingRef; involvement: readonly Involvement[] }
	| { action: 'bid.decide'; bid: BidRef; involvement: readonly Involvement[] }
	| { action: 'bid.updateMilestone'; bid: BidRef };

/**
 * What the acting person has already done to a piece of work, read from its history: led it
 * (started or signed it off), wrote part of it, confirmed a pledge to it, endorsed or objected.
 * Scoring and panels add their own words here as they land.
 */
export type Involvement = 'led' | 'wrote' | 'pledged' | 'endorsed' | 'objected';
const INVOLVEMENT_WORDS: Record<Involvement, string> = {
	led: 'led',
	wrote: 'wrote part of',
	pledged: 'confirmed a pledge to',
	endorsed: 'endorsed',
	objected: 'objected to'
};

/** A piece of work someone may be asked to judge, and what the actor has done to it. */
export interface JudgedWork {
	/** "bid" */
	noun: string;
	/** Settings whose work it is: their staff have an interest in it. */
	settingIds: readonly number[];
	involvement: readonly Involvement[];
}

/**
 * Separation of duties, said once for every judgement (deciding a bid today; scoring, moderating
 * and panels as they land): nobody judges work they took part in, or work of a setting where they
 * hold a role. `instead` says who must do it ("another officer must decide it").
 */
export function independentOf(actor: Actor, work: JudgedWork, instead: string): Decision {
	const done = work.involvement[0];
	if (done) return deny(`You ${INVOLVEMENT_WORDS[done]} this ${work.noun}, so ${instead}.`);
	const role = actor.settingRoles.find((r) => work.settingIds.includes(r.settingId));
	if (role) return deny(`You work at ${role.settingName}, which is part of this ${work.noun}, so ${instead}.`);
	return allow;
}

/** The person whose account an officer is changing. */
export interface AccountRef {
	id: number;
	countyRole: CountyRole | null;
}
/** roles: setting and cluster roles; countyRole: officer/admin; status: deactivate or reactivate. */
export type AccountChange = 'roles' | 'countyRole' | 'status';

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

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
			// Separation of duties: an officer who gave themself a setting role could then endorse a bid and approve it.
			if (check.person.id === actor.id && check.change === 'roles') {
				return deny('You cannot give yourself a role or remove one of your own. Ask another officer.');
			}
			return allow;
		case 'people.invite':
			if (!isCountyStaff(actor)) {
				return deny('Only council officers can invite people, change their roles or deactivate accounts.');
			}
			return sameEmail(check.email, actor.email)
				? deny('You cannot invite yourself: that would give you a role. Ask another officer.')
				: allow;
		case 'invitation.accept':
			// Whoever is signed in, an invitation sent by this person cannot be used to give themself (or a second account of theirs) a role.
			if (check.invitation.invitedBy === actor.id) {
				return deny('You sent this invitation, so you cannot accept it. The person it was sent to must accept it.');
			}
			return sameEmail(check.invitation.email, actor.email)
				? allow
				: deny(`This invitation is for ${check.invitation.email}. Sign out, then open the link again to accept it as that person.`);
		case 'account.changePassword':
		case 'account.signOut':
			// Only for oneself: officers never set someone's password (they send a reset link instead).
			return check.userId === actor.id ? allow : deny('You can only change your own password or end your own session.');
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
		case 'bid.writePledge':
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

/** A cluster holds a setting when it is the setting's locality or that locality's district. */
const inCluster = (setting: SettingRef, clusterId: number) => setting.clusterId === clusterId || setting.districtId === clusterId;
const memberOf = (actor: Actor, clusterId: number) => isCountyStaff(actor) || actor.clusterIds.includes(clusterId);
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
const notAMember = (bid: BidRef) =>
	deny(`Bids in the ${bid.clusterName} cluster are open to its members and council officers.`);

/** Every bid action but viewing it and starting one: each first asks what viewing asks. */
type BidWrite = Exclude<BidCheck, { action: 'round.open' | 'round.manage' | 'round.view' | 'round.export' | 'bid.create' | 'bid.view' }>;

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
			if (!inCluster(check.leadSetting, check.round.clusterId)) {
				return deny(`${check.leadSetting.name} is not in the ${check.round.clusterName} cluster, so it cannot bid in this round.`);
			}
			if (!memberOf(actor, check.round.clusterId) || !roleAt(actor, check.leadSetting.id, check.round.clusterId)) {
				return deny(`Only the headteacher or SENCO of ${check.leadSetting.name} can start a bid for it.`);
			}
			return allow;
		case 'bid.view':
			return memberOf(actor, check.bid.clusterId) ? allow : notAMember(check.bid);
		default:
			// Writing never reaches further than reading: whoever may not view the bid may not change it.
			return memberOf(actor, check.bid.clusterId) ? canWriteBid(actor, check) : notAMember(check.bid);
	}
}

function canWriteBid(actor: Actor, check: BidWrite): Decision {
	const bid = check.bid;
	switch (check.action) {
		case 'bid.edit':
		case 'bid.updateMilestone':
			return writes(actor, bid) ? allow : deny('Only staff of the lead and partner settings can write this bid.');
		case 'bid.managePartners':
			return roleAt(actor, bid.leadSettingId, bid.clusterId)
				? allow
				: deny('Only staff of the lead setting can add or remove partner settings.');
		case 'bid.writePledge':
			if (!bidSettings(bid).includes(check.settingId)) return deny('That setting is not part of this bid.');
			return roleAt(actor, check.settingId, bid.clusterId)
				? allow
				: deny('Only the headteacher or SENCO of that setting can change its pledge.');
		case 'bid.confirmPledge':
			if (!bidSettings(bid).includes(check.settingId)) return deny('That setting is not part of this bid.');
			return roleAt(actor, check.settingId, bid.clusterId, 'headteacher')
				? allow
				: deny('Only the headteacher of that setting can confirm its pledge.');
		case 'bid.submit':
			return roleAt(actor, bid.leadSettingId, bid.clusterId, 'headteacher')
				? allow
				: deny('Only the lead setting’s headteacher can sign off and submit the bid.');
		case 'bid.withdraw':
			return roleAt(actor, bid.leadSettingId, bid.clusterId, 'headteacher')
				? allow
				: deny('Only the lead setting’s headteacher can withdraw the bid.');
		case 'bid.endorse': {
			const setting = check.setting;
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
				{ noun: 'bid', settingIds: bidSettings(bid), involvement: check.involvement.filter((i) => i !== 'endorsed' && i !== 'objected') },
				'another setting’s headteacher must endorse or object'
			);
		}
		case 'bid.decide':
			if (!isCountyStaff(actor)) return deny('Only council officers decide on bids.');
			return independentOf(actor, { noun: 'bid', settingIds: bidSettings(bid), involvement: check.involvement }, 'another officer must decide it');
	}
}
