import { allow, deny, type RuleMap } from '../decision';
import type { Actor } from '../auth/actor';
import { disputeRules, type DisputeCaseRef } from './policy';

// Who may see and handle each party's position statement and papers. Merged into `can()` beside
// the case rules. The district's SENDIASS officers record them on the parties' behalf, prepare the
// redacted copies and share them; the booked, non-conflicted panel reads what was shared, in the
// window the case's details are open to it. The setting's head and SENCO see the case's status
// only (the officer passes the other side's shared papers to each party), and nobody else sees them.

export type DisputePapersCheck =
	| { action: 'disputes.papers.view'; case: DisputeCaseRef }
	| { action: 'disputes.papers.manage'; case: DisputeCaseRef }
	| { action: 'disputes.paper.open'; case: DisputeCaseRef; shared: boolean };

const isOfficerOf = (actor: Actor, districtId: number) =>
	actor.clusterRoles.some((role) => role.role === 'sendiass_officer' && role.clusterId === districtId);

const viewCase = (actor: Actor, ref: DisputeCaseRef) => disputeRules['disputes.case.view'](actor, { action: 'disputes.case.view', case: ref });

export const disputePapersRules: RuleMap<DisputePapersCheck> = {
	'disputes.papers.view': (actor, { case: ref }) => {
		const decision = viewCase(actor, ref);
		return decision.allowed ? allow : deny(`The parties’ statements and papers are for ${ref.district.name}’s SENDIASS officers and the panel booked for this case only. ${decision.reason}`);
	},
	'disputes.papers.manage': (actor, { case: ref }) =>
		isOfficerOf(actor, ref.district.id) ? allow : deny(`Only SENDIASS officers for ${ref.district.name} can record, redact and share the parties’ statements and papers.`),
	// The panel reads only what an officer redacted and shared; the officers read everything.
	'disputes.paper.open': (actor, { case: ref, shared }) => {
		if (isOfficerOf(actor, ref.district.id)) return allow;
		const decision = viewCase(actor, ref);
		if (!decision.allowed) return deny(`The parties’ statements and papers are for ${ref.district.name}’s SENDIASS officers and the panel booked for this case only. ${decision.reason}`);
		return shared ? allow : deny('This has not been redacted and shared with the panel yet.');
	}
};
