import { allow, deny, isCountyStaff, type RuleMap } from '../decision';
import type { Actor } from '../auth/actor';

// Who may see and do what with district dispute-resolution cases. Merged into `can()`.
// Cases concern a child, so the default is no: the district's SENDIASS officers run them; booked,
// non-conflicted panel members read them from booking until follow-up closes; the setting's
// headteacher and SENCO see the status and the agreed actions only. Council officers are not
// listed: the service is independent of the council (Code of Practice 11.6); they see only the
// anonymised, suppressed governance figures.

export interface DistrictRef {
	id: number;
	name: string;
}

/** A case as the rules read it (under the lock the write takes). */
export interface DisputeCaseRef {
	id: number;
	reference: string;
	district: DistrictRef;
	/** The setting the disagreement is with, if it is one in the portal. */
	settingId: number | null;
	/** Members booked to sit on the case's meeting. */
	bookedMemberIds: readonly number[];
	/** Members who may not sit: council employees, those who advised the family, those who declared a conflict. */
	conflictedMemberIds: readonly number[];
	/** From booking until the follow-up closes: the only time a booked member reads the case. */
	panelWindowOpen: boolean;
}

/** A case's scheduling poll as the rules read it (under the lock the write takes). */
export interface PollRef {
	id: number;
	caseId: number;
	district: DistrictRef;
	/** Members sent the poll (eligible when it opened). */
	invitedMemberIds: readonly number[];
	/** Members who may not sit on the case (declared a conflict since, advised the family). */
	conflictedMemberIds: readonly number[];
	/** Before its closing date, and not yet booked or cancelled. */
	open: boolean;
	closesAt: Date;
}

/** A member's place in a district's pool, as the calendar feed's rule reads it. */
export interface MembershipRef {
	id: number;
	userId: number;
	district: DistrictRef;
	/** Still in the pool (an officer has not taken them off), with an active account. */
	active: boolean;
}

export type DisputeCheck =
	| { action: 'disputes.feed.manage'; membership: MembershipRef }
	| { action: 'disputes.feed.read'; membership: MembershipRef }
	| { action: 'disputes.pool.manage'; district: DistrictRef }
	| { action: 'disputes.poll.run'; district: DistrictRef }
	| { action: 'disputes.poll.view'; poll: PollRef }
	| { action: 'disputes.poll.answer'; poll: PollRef; memberId: number }
	| { action: 'disputes.poll.conflict'; poll: PollRef; memberId: number }
	| { action: 'disputes.district.run'; district: DistrictRef }
	| { action: 'disputes.case.view'; case: DisputeCaseRef }
	| { action: 'disputes.case.status'; case: DisputeCaseRef }
	| { action: 'disputes.case.manage'; case: DisputeCaseRef }
	| { action: 'disputes.reports.view'; district: DistrictRef }
	| { action: 'disputes.settings.manage'; district: DistrictRef }
	| { action: 'disputes.theme.pass'; district: DistrictRef };

const isOfficerOf = (actor: Actor, districtId: number) =>
	actor.clusterRoles.some((role) => role.role === 'sendiass_officer' && role.clusterId === districtId);

/** Why a booked member's reading of a case is refused, or null when they may read it. */
function memberRefusal(actor: Actor, ref: DisputeCaseRef): string | null {
	if (!ref.bookedMemberIds.includes(actor.id)) return 'Only the SENDIASS officers of the district and the panel booked for this case can see it.';
	if (ref.conflictedMemberIds.includes(actor.id)) return 'You have a conflict with this case, so you cannot see it.';
	if (!ref.panelWindowOpen) return 'The panel can see this case only from booking until its follow-up closes.';
	return null;
}

function viewCase(actor: Actor, ref: DisputeCaseRef) {
	if (isOfficerOf(actor, ref.district.id)) return allow;
	const refusal = memberRefusal(actor, ref);
	return refusal ? deny(refusal) : allow;
}

const closedWords = (poll: PollRef) =>
	`This poll closed on ${poll.closesAt.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' })} or the meeting is settled, so answers are locked.`;

/** Why a member may not answer (or declare a conflict on) this poll for this member, or null. */
function memberPollRefusal(actor: Actor, poll: PollRef, memberId: number): string | null {
	if (actor.id !== memberId) return 'You can answer only for yourself.';
	if (!poll.invitedMemberIds.includes(actor.id)) return 'You are not one of the members asked about this meeting.';
	if (!poll.open) return closedWords(poll);
	return null;
}

/** Why a calendar feed is refused to this person, or null: only the member themself, while in the pool. */
function feedRefusal(actor: Actor, membership: MembershipRef): string | null {
	if (actor.id !== membership.userId) return 'Only the panel member themself can have their calendar feed.';
	if (!membership.active) return `You are no longer in ${membership.district.name}’s panel pool, so you have no calendar feed.`;
	return null;
}

export const disputeRules: RuleMap<DisputeCheck> = {
	'disputes.feed.manage': (actor, { membership }) => {
		const refusal = feedRefusal(actor, membership);
		return refusal ? deny(refusal) : allow;
	},
	'disputes.feed.read': (actor, { membership }) => {
		const refusal = feedRefusal(actor, membership);
		return refusal ? deny(refusal) : allow;
	},
	'disputes.pool.manage': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can keep its panel pool and quorum rule.`),
	'disputes.poll.run': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can schedule and book its panels.`),
	'disputes.poll.view': (actor, { poll }) => {
		if (isOfficerOf(actor, poll.district.id)) return allow;
		return poll.invitedMemberIds.includes(actor.id) ? allow : deny('Only the district’s SENDIASS officers and the members asked can see this meeting poll.');
	},
	'disputes.poll.answer': (actor, { poll, memberId }) => {
		const refusal = memberPollRefusal(actor, poll, memberId);
		if (refusal) return deny(refusal);
		return poll.conflictedMemberIds.includes(actor.id) ? deny('You have a conflict with this case, so you cannot sit on its panel.') : allow;
	},
	'disputes.poll.conflict': (actor, { poll, memberId }) => {
		const refusal = memberPollRefusal(actor, poll, memberId);
		if (refusal) return deny(refusal.replace('answer only', 'declare a conflict only'));
		return poll.conflictedMemberIds.includes(actor.id) ? deny('Your conflict with this case is already recorded.') : allow;
	},
	'disputes.district.run': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can run its dispute-resolution panels.`),
	'disputes.case.view': (actor, { case: ref }) => viewCase(actor, ref),
	'disputes.case.status': (actor, { case: ref }) => {
		if (viewCase(actor, ref).allowed) return allow;
		const atSetting = ref.settingId !== null && actor.settingRoles.some((role) => role.settingId === ref.settingId);
		return atSetting ? allow : deny('Only the people working on this case, and the setting’s headteacher and SENCO, can see its progress.');
	},
	'disputes.case.manage': (actor, { case: ref }) =>
		isOfficerOf(actor, ref.district.id) ? allow : deny(`Only SENDIASS officers for ${ref.district.name} can change this case.`),
	// Anonymised, suppressed figures only (no reference, initials or free text), so the council's
	// officers may see them for governance as well as the district's SENDIASS officers.
	'disputes.reports.view': (actor, { district }) =>
		isOfficerOf(actor, district.id) || isCountyStaff(actor)
			? allow
			: deny(`The panels’ governance figures for ${district.name} are for its SENDIASS officers and council officers only: they are about families’ disagreements, even counted.`),
	// The periods, targets and term dates the district's cases are measured against. The service is
	// independent of the council (11.6), so its officers keep them, not the council's.
	'disputes.settings.manage': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can change its dispute targets, periods and term dates.`),
	// An anonymised, suppressed count passed on to the forum's "you said, we did": the panels' own officers decide it.
	'disputes.theme.pass': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can pass its panels’ themes to the Parent Carer Forum.`)
};
