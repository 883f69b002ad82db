import { allow, deny, isCountyStaff, type RuleMap } from '../../decision';
import type { SigningCapacity } from '$lib/capital/applications/model';
import { applicationAccess, capitalApplicationRules, maySignFor, type ApplicationRef } from '../applications/policy';
import type { SignerSetting } from '../applications/rules';

// Who may see and act on a specialist scheme after approval in principle. Merged into `can()`.
// Officers independent of the settings record the feasibility, the statutory steps, the
// equalities impact assessment and the milestones, move the scheme on and issue the funding
// agreement; a change to the costed total is decided by another officer than the one who asked;
// the settings' signatories (by their type, as for the application) sign the agreement.

/** A change request as its decision reads it, under the command's lock. */
export interface ChangeRef {
	requestedBy: number;
	requesterName: string;
}

export type SchemeCheck =
	| { action: 'capital.scheme.view'; application: ApplicationRef }
	| { action: 'capital.scheme.officer'; application: ApplicationRef }
	| { action: 'capital.scheme.change.decide'; application: ApplicationRef; change: ChangeRef }
	| { action: 'capital.scheme.agreement.sign'; application: ApplicationRef; setting: SignerSetting; as: SigningCapacity };

const NOT_SCHEME = 'This application is not a costed scheme.';

export const schemeRules: RuleMap<SchemeCheck> = {
	// Costs, terms and statutory steps: the settings' staff and officers, not the district's roles.
	'capital.scheme.view': (actor, { application }) => {
		if (application.process !== 'scheme') return deny(NOT_SCHEME);
		const seen = applicationAccess(actor, application);
		if (!seen.allowed) return seen;
		return isCountyStaff(actor) || application.settingIds.some((id) => actor.settingRoles.some((r) => r.settingId === id))
			? allow
			: deny('The scheme’s feasibility, costs and funding agreement are for the settings applying and council officers.');
	},
	'capital.scheme.officer': (actor, { application }) => {
		if (application.process !== 'scheme') return deny(NOT_SCHEME);
		return capitalApplicationRules['capital.application.officer'](actor, { action: 'capital.application.officer', application });
	},
	'capital.scheme.change.decide': (actor, { application, change }) => {
		if (application.process !== 'scheme') return deny(NOT_SCHEME);
		const officer = capitalApplicationRules['capital.application.officer'](actor, { action: 'capital.application.officer', application });
		if (!officer.allowed) return deny(officer.reason.replace('move an application on', 'decide a change to a scheme’s costs'));
		if (change.requestedBy === actor.id) return deny(`You recorded this change, so another officer must decide it.`);
		return allow;
	},
	'capital.scheme.agreement.sign': (actor, { application, setting, as }) => {
		if (application.process !== 'scheme') return deny(NOT_SCHEME);
		if (!application.settingIds.includes(setting.id)) return deny(`${setting.name} is not part of this application.`);
		if (application.stage !== 'agreement') return deny('There is no funding agreement waiting for signatures on this scheme.');
		return maySignFor(actor, setting, as);
	}
};
