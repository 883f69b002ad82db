import type { Actor } from '../auth/actor';
import { allow, deny, isCountyStaff, type Decision, type RuleMap } from '../decision';

// Who may see and do what in the PCF advisory groups. Merged into `can()`. A district's group is
// the people holding the `pcf_rep` role on its district cluster, with a lead named by an officer.
// The group reads its district's proposals from submission (never dispute case details, which no
// rule here reaches); its points are answered by the proposal's owner or an officer, never by the
// point's author; two checks (an officer, the lead) come before anything is public.

export interface GroupRef {
	districtId: number;
	districtName: string;
	leadUserId: number | null;
}

/**
 * A proposal the forum may advise on: a funding bid, a consultation opened in a workspace, or a
 * whole funding round (a themed response across every bid of its district in it; the council owns
 * a round, so officers answer), or an inclusion-base application of any line (scheme, grant,
 * rollout), read from submission as the capital application policy lets a representative see it.
 */
export interface ProposalRef {
	kind: 'bid' | 'consultation' | 'round' | 'application';
	id: number;
	districtId: number;
	districtName: string;
	/** From submission the group may read it; a draft is its writers' own. */
	submitted: boolean;
	/** A bid's or an application's lead setting: its staff own the proposal and answer points on it. */
	ownerSettingId: number | null;
	/** A consultation's owner (who opened it): they answer its points. */
	ownerUserId?: number | null;
	/** A consultation closed (or past its closing date) takes no new position, points or feedback. */
	closed?: boolean;
	/** A consultation's or a round's workspace: its members may read it and the advice on it. */
	clusterId?: number;
	/** Its other settings (a bid's partners, the other schools an application covers): they may read the advice, not answer it. */
	partnerSettingIds: readonly number[];
}

export interface PointRef {
	authorId: number | null;
	answeredBy: number | null;
}

export type PcfCheck =
	| { action: 'pcf.groups.view' }
	| { action: 'pcf.group.view'; group: GroupRef }
	| { action: 'pcf.group.manage'; group: GroupRef }
	| { action: 'pcf.group.watch'; group: GroupRef }
	| { action: 'pcf.themes.manage' }
	| { action: 'pcf.advice.view'; proposal: ProposalRef }
	| { action: 'pcf.position.write'; proposal: ProposalRef }
	| { action: 'pcf.position.approve'; proposal: ProposalRef; group: GroupRef; draftedBy: number }
	| { action: 'pcf.feedback.add'; proposal: ProposalRef }
	| { action: 'pcf.point.answer'; proposal: ProposalRef; point: PointRef }
	| { action: 'pcf.point.check'; proposal: ProposalRef; group: GroupRef; point: PointRef; as: 'officer' | 'lead' }
	| { action: 'pcf.point.withdraw'; proposal: ProposalRef; group: GroupRef }
	| { action: 'pcf.consultation.open'; workspace: WorkspaceRef }
	| { action: 'pcf.consultation.manage'; proposal: ProposalRef }
	/** Recording what a cluster steering group decided on a decision item put on its agenda. */
	| { action: 'pcf.steering.decide'; proposal: ProposalRef }
	/** Hearing live of the consultations a workspace's list shows (null: every workspace's, for the county's list). */
	| { action: 'pcf.consultations.follow'; clusterId: number | null }
	| { action: 'pcf.consultation.settings'; group: GroupRef }
	| { action: 'pcf.tracker.view' }
	| { action: 'pcf.editions.view' }
	| { action: 'pcf.edition.view'; edition: EditionRef }
	| { action: 'pcf.edition.edit'; edition: EditionRef }
	| { action: 'pcf.edition.approve'; edition: EditionRef; as: 'officer' | 'lead' };

/** A "you said, we did" edition: a district's, or county-wide (no district). */
export interface EditionRef {
	districtId: number | null;
	/** The district's name, or "Oxfordshire" for a county-wide edition. */
	districtName: string;
	/** The district group's lead; for a county-wide edition, every district group's lead. */
	leadUserIds: readonly number[];
	published: boolean;
	/** Who gave each approval so far (nobody gives both). */
	officerApprovedBy: number | null;
	leadApprovedBy: number | null;
}

/** A cluster workspace a consultation is opened in (a locality, or a district itself). */
export interface WorkspaceRef {
	clusterId: number;
	clusterName: string;
	districtId: number;
}

export const repOf = (actor: Actor, districtId: number) => actor.clusterRoles.some((r) => r.clusterId === districtId && r.role === 'pcf_rep');
const editionRep = (actor: Actor, edition: EditionRef) =>
	edition.districtId === null ? actor.clusterRoles.some((r) => r.role === 'pcf_rep') : repOf(actor, edition.districtId);
const isLead = (actor: Actor, group: GroupRef) => group.leadUserId === actor.id && repOf(actor, group.districtId);
const ownerStaff = (actor: Actor, proposal: ProposalRef) => {
	if (proposal.kind === 'round') return false; // the council's own: officers answer
	return proposal.kind === 'consultation' ? proposal.ownerUserId === actor.id : actor.settingRoles.some((r) => r.settingId === proposal.ownerSettingId);
};
const partnerStaff = (actor: Actor, proposal: ProposalRef) => actor.settingRoles.some((r) => proposal.partnerSettingIds.includes(r.settingId));

const notYours = (districtName: string) => deny(`Only the ${districtName} PCF advisory group and council officers can do this.`);

const closedNow = deny('This consultation has closed, so it takes no new position, points or feedback.');

/** The group reads its district's proposals from submission. */
function groupReads(actor: Actor, proposal: ProposalRef): Decision {
	if (!repOf(actor, proposal.districtId)) return notYours(proposal.districtName);
	return proposal.submitted ? allow : deny('The PCF advisory group sees a proposal once it has been submitted.');
}

export const pcfRules: RuleMap<PcfCheck> = {
	'pcf.groups.view': (actor) =>
		isCountyStaff(actor) || actor.clusterRoles.some((r) => r.role === 'pcf_rep')
			? allow
			: deny('PCF advisory groups are open to their representatives and council officers.'),
	'pcf.group.view': (actor, { group }) => (isCountyStaff(actor) || repOf(actor, group.districtId) ? allow : notYours(group.districtName)),
	'pcf.group.manage': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers name a group’s lead and set how long answers may take.')),
	'pcf.group.watch': (actor, { group }) =>
		repOf(actor, group.districtId) ? allow : deny(`Only representatives of the ${group.districtName} PCF advisory group choose what it watches.`),
	'pcf.themes.manage': (actor) =>
		isCountyStaff(actor) || actor.clusterRoles.some((r) => r.role === 'pcf_rep')
			? allow
			: deny('The theme list is kept by PCF representatives and council officers.'),
	'pcf.advice.view': (actor, { proposal }) => {
		if (isCountyStaff(actor) || ownerStaff(actor, proposal) || partnerStaff(actor, proposal)) return allow;
		// A consultation is open to its workspace. A round's themed response speaks of every bid in the
		// round, so, like the advice on one bid, it is not for competing settings' staff: officers and the
		// district's group only (the answers reach everyone once published, on "you said, we did").
		if (proposal.kind === 'consultation' && proposal.clusterId !== undefined && actor.clusterIds.includes(proposal.clusterId)) return allow;
		return groupReads(actor, proposal);
	},
	'pcf.position.write': (actor, { proposal }) => (proposal.closed ? closedNow : groupReads(actor, proposal)),
	'pcf.position.approve': (actor, { proposal, group, draftedBy }) => {
		const reads = groupReads(actor, proposal);
		if (!reads.allowed) return reads;
		if (!isLead(actor, group)) return deny(`Only the lead of the ${group.districtName} PCF advisory group approves its position.`);
		// Nobody decides on what they wrote.
		if (draftedBy === actor.id) return deny('You drafted this position, so another representative must draft it for you to approve.');
		return allow;
	},
	'pcf.feedback.add': (actor, { proposal }) => (proposal.closed ? closedNow : isCountyStaff(actor) ? allow : groupReads(actor, proposal)),
	'pcf.point.answer': (actor, { proposal, point }) => {
		if (point.authorId === actor.id) return deny('You raised this point, so the proposal’s owner or an officer must answer it.');
		if (isCountyStaff(actor) || ownerStaff(actor, proposal)) return allow;
		return deny(
			proposal.kind === 'consultation'
				? 'Only the person who opened the consultation, or a council officer, can answer the forum’s points.'
				: proposal.kind === 'round'
					? 'Only a council officer can answer the forum’s points on a whole funding round.'
					: proposal.kind === 'application'
						? 'Only staff of the setting that made the application, or a council officer, can answer the forum’s points.'
						: 'Only staff of the setting leading the proposal, or a council officer, can answer the forum’s points.'
		);
	},
	'pcf.point.check': (actor, { proposal, group, point, as }) => {
		if (point.authorId === actor.id || point.answeredBy === actor.id) {
			return deny('You wrote this point or its answer, so someone else must check it before it is published.');
		}
		if (as === 'officer') return isCountyStaff(actor) ? allow : deny('The officer’s check is made by a council officer.');
		const reads = groupReads(actor, proposal);
		if (!reads.allowed) return reads;
		return isLead(actor, group) ? allow : deny(`The PCF check is made by the lead of the ${group.districtName} PCF advisory group.`);
	},
	'pcf.consultation.open': (actor, { workspace }) =>
		isCountyStaff(actor) || actor.clusterRoles.some((r) => r.role === 'cluster_lead' && (r.clusterId === workspace.clusterId || r.clusterId === workspace.districtId))
			? allow
			: deny(`Only a council officer or a lead of ${workspace.clusterName} can open a consultation there.`),
	'pcf.consultation.manage': (actor, { proposal }) =>
		isCountyStaff(actor) || (proposal.kind === 'consultation' && proposal.ownerUserId === actor.id)
			? allow
			: deny('Only the person who opened the consultation, or a council officer, can close or extend it.'),
	// The steering group decides; the person who put the item on its agenda (a cluster lead or an
	// officer) or an officer records the decision. The forum advises and never records it.
	'pcf.steering.decide': (actor, { proposal }) =>
		isCountyStaff(actor) || (proposal.kind === 'consultation' && proposal.ownerUserId === actor.id)
			? allow
			: deny('Only the person who put this item on the steering group’s agenda, or a council officer, can record the steering group’s decision.'),
	// Whoever sees a workspace's consultations in their list (its members, its district's group
	// through the district's localities, officers) hears when one opens, is extended or closes.
	'pcf.consultations.follow': (actor, { clusterId }) => {
		if (isCountyStaff(actor)) return allow;
		if (clusterId === null) return deny('Only council officers follow every workspace’s consultations.');
		return actor.clusterIds.includes(clusterId) ? allow : deny('You can follow the consultations of your own workspaces only.');
	},
	// The district's rule for closing dates binds every workspace in it, so the council sets it.
	'pcf.consultation.settings': (actor, { group }) =>
		isCountyStaff(actor) ? allow : deny(`Only council officers set how long consultations in ${group.districtName} run and whether they may close in a school holiday.`),
	// The tracker shows counts and medians only (never a point's words, a name or a child), so every
	// district's figures are open to anyone who works with the forum's advice: representatives,
	// council officers and cluster leads. Setting staff without such a role see their own proposals' advice instead.
	'pcf.tracker.view': (actor) =>
		isCountyStaff(actor) || actor.clusterRoles.some((r) => r.role === 'pcf_rep' || r.role === 'cluster_lead')
			? allow
			: deny('The feedback tracker is open to PCF representatives, cluster leads and council officers.'),
	// Editions are co-edited by the forum and the council: council officers, and the district's
	// representatives (any representative for a county-wide edition); published, an edition stands.
	'pcf.editions.view': (actor) =>
		isCountyStaff(actor) || actor.clusterRoles.some((r) => r.role === 'pcf_rep')
			? allow
			: deny('“You said, we did” editions are written by PCF representatives and council officers.'),
	'pcf.edition.view': (actor, { edition }) =>
		isCountyStaff(actor) || editionRep(actor, edition) ? allow : deny(`Only the ${edition.districtName} PCF advisory group and council officers see this edition before it is published.`),
	'pcf.edition.edit': (actor, { edition }) => {
		if (!isCountyStaff(actor) && !editionRep(actor, edition)) return deny(`Only the ${edition.districtName} PCF advisory group and council officers edit this edition.`);
		return edition.published ? deny('This edition has been published, so it is no longer changed.') : allow;
	},
	'pcf.edition.approve': (actor, { edition, as }) => {
		if (edition.published) return deny('This edition has already been published.');
		const other = as === 'officer' ? edition.leadApprovedBy : edition.officerApprovedBy;
		if (other === actor.id) return deny('You gave the other approval, so someone else must give this one.');
		if (as === 'officer') return isCountyStaff(actor) ? allow : deny('The officer’s approval is given by a council officer.');
		return editionRep(actor, edition) && edition.leadUserIds.includes(actor.id)
			? allow
			: deny(`The PCF approval is given by the lead of the ${edition.districtName} PCF advisory group.`);
	},
	'pcf.point.withdraw': (actor, { group }) =>
		isCountyStaff(actor) || isLead(actor, group) ? allow : deny('Only a council officer or the PCF lead can withdraw a published point.')
};
