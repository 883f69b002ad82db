import { allow, deny, type RuleMap } from '../decision';
import type { Actor } from '../auth/actor';
import { disputeRules, type DisputeCaseRef } from './policy';

// Who may do what after a panel meets. Merged into `can()` beside the case rules. Everything that
// changes a case or reads the family's side of it (the outcome, the written record, feedback,
// closing, legal holds, a subject access export) is the district's SENDIASS officers' alone; the
// agreed actions are also seen by whoever sees the case's status (the setting's head and SENCO,
// the booked panel), since they are what the parties agreed to do.

export type DisputeOutcomeCheck =
	| { action: 'disputes.outcome.record'; case: DisputeCaseRef }
	| { action: 'disputes.outcome.view'; case: DisputeCaseRef }
	| { action: 'disputes.outcome.pdf'; case: DisputeCaseRef }
	| { action: 'disputes.actions.view'; case: DisputeCaseRef }
	| { action: 'disputes.action.manage'; case: DisputeCaseRef }
	| { action: 'disputes.feedback.record'; case: DisputeCaseRef }
	| { action: 'disputes.case.end'; case: DisputeCaseRef }
	| { action: 'disputes.case.hold'; case: DisputeCaseRef }
	| { action: 'disputes.case.export'; case: DisputeCaseRef };

const isOfficerOf = (actor: Actor, districtId: number) =>
	actor.clusterRoles.some((role) => role.role === 'sendiass_officer' && role.clusterId === districtId);

const officersOnly =
	(doing: string) =>
	(actor: Actor, { case: ref }: { case: DisputeCaseRef }) =>
		isOfficerOf(actor, ref.district.id) ? allow : deny(`Only SENDIASS officers for ${ref.district.name} can ${doing}.`);

export const disputeOutcomeRules: RuleMap<DisputeOutcomeCheck> = {
	'disputes.outcome.record': officersOnly('record the outcome of this case'),
	// The outcome's wording reflects the family's side, so it is read where the case's details are.
	'disputes.outcome.view': (actor, { case: ref }) => disputeRules['disputes.case.view'](actor, { action: 'disputes.case.view', case: ref }),
	'disputes.outcome.pdf': officersOnly('download the written outcome record (they send it to both parties)'),
	'disputes.actions.view': (actor, { case: ref }) => {
		const status = disputeRules['disputes.case.status'](actor, { action: 'disputes.case.status', case: ref });
		return status.allowed ? allow : deny('Only the people working on this case, and the setting’s headteacher and SENCO, can see its agreed actions.');
	},
	'disputes.action.manage': officersOnly('change the agreed actions of this case'),
	'disputes.feedback.record': officersOnly('record feedback on this case'),
	'disputes.case.end': officersOnly('close or withdraw this case'),
	'disputes.case.hold': officersOnly('place or lift a legal hold on this case'),
	'disputes.case.export': officersOnly('export this case for a subject access request')
};
