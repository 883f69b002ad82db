import { allow, deny, type RuleMap } from '../decision';
import type { Actor } from '../auth/actor';

// Who may see and do what with district dispute-resolution cases. Merged into `can()`.
// Cases concern a child, so the default is no: the district's SENDIASS officers run them; booked,
// non-conflicted panel members read them from booking until follow-up closes; the setting's
// headteacher and SENCO see the status and the agreed actions only. Council officers are not
// listed: the service is independent of the council (Code of Practice 11.6).

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

export type DisputeCheck =
	| { action: 'disputes.district.run'; district: DistrictRef }
	| { action: 'disputes.case.view'; case: DisputeCaseRef }
	| { action: 'disputes.case.status'; case: DisputeCaseRef }
	| { action: 'disputes.case.manage'; case: DisputeCaseRef };

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

export const disputeRules: RuleMap<DisputeCheck> = {
	'disputes.district.run': (actor, { district }) =>
		isOfficerOf(actor, district.id) ? allow : deny(`Only SENDIASS officers for ${district.name} can run its dispute-resolution panels.`),
	'disputes.case.view': (actor, { case: ref }) => viewCase(actor, ref),
	'disputes.case.status': (actor, { case: ref }) => {
		if (viewCase(actor, ref).allowed) return allow;
		const atSetting = ref.settingId !== null && actor.settingRoles.some((role) => role.settingId === ref.settingId);
		return atSetting ? allow : deny('Only the people working on this case, and the setting’s headteacher and SENCO, can see its progress.');
	},
	'disputes.case.manage': (actor, { case: ref }) =>
		isOfficerOf(actor, ref.district.id) ? allow : deny(`Only SENDIASS officers for ${ref.district.name} can change this case.`)
};
