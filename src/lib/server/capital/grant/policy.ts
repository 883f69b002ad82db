import { allow, deny, independentOf, isCountyStaff, type RuleMap } from '../../decision';
import type { Actor } from '../../auth/actor';
import type { Signatory } from '$lib/capital/model';
import { applicationAccess, capitalApplicationRules, type ApplicationRef } from '../applications/policy';
import { capitalRules, type SigningSetting } from '../policy';

// Who may act on an early years grant after the decision. Merged into `can()`. An officer offers
// (never on a setting where they hold a role), the setting's signatory by its type accepts (a PVI
// setting's owner or manager, a childminder, a school's headteacher; not a SENCO), the setting's
// staff claim, and a different officer from the one who offered approves the claim.

/** An offer as the approval reads it, under the command's lock. */
export interface OfferRef {
	offeredBy: number;
	offererName: string;
}

export type GrantCheck =
	| { action: 'capital.grant.view'; application: ApplicationRef }
	| { action: 'capital.grant.offer'; application: ApplicationRef }
	| { action: 'capital.grant.accept'; application: ApplicationRef; setting: SigningSetting; as: Signatory | null }
	| { action: 'capital.grant.claim'; application: ApplicationRef }
	| { action: 'capital.grant.approve_claim'; application: ApplicationRef; offer: OfferRef }
	| { action: 'capital.grant.end'; application: ApplicationRef };

const NOT_GRANT = 'This application is not an early years grant.';
const isStaffOfLead = (actor: Actor, application: ApplicationRef) => actor.settingRoles.some((r) => r.settingId === application.leadSettingId);

export const grantRules: RuleMap<GrantCheck> = {
	// Letters name amounts and conditions: the setting's staff and officers, not the district's roles.
	'capital.grant.view': (actor, { application }) => {
		const seen = applicationAccess(actor, application);
		if (!seen.allowed) return seen;
		return isCountyStaff(actor) || application.settingIds.some((id) => actor.settingRoles.some((r) => r.settingId === id))
			? allow
			: deny('The grant letter is for the setting applying and council officers.');
	},
	'capital.grant.offer': (actor, { application }) => {
		if (application.process !== 'grant') return deny(NOT_GRANT);
		return capitalApplicationRules['capital.application.officer'](actor, { action: 'capital.application.officer', application });
	},
	'capital.grant.accept': (actor, { application, setting, as }) => {
		if (application.process !== 'grant') return deny(NOT_GRANT);
		if (setting.id !== application.leadSettingId) return deny(`${setting.name} is not the setting this grant is offered to.`);
		if (!as) return deny(`Nobody in the portal can sign for ${setting.name}: its type has no individual signatory. Ask the council to record the acceptance.`);
		// Who signs for the setting, by its type (the programme's one signing rule).
		return capitalRules['capital.sign'](actor, { action: 'capital.sign', setting, as });
	},
	'capital.grant.claim': (actor, { application }) => {
		if (application.process !== 'grant') return deny(NOT_GRANT);
		return isStaffOfLead(actor, application) ? allow : deny('Only the staff of the setting the grant was offered to can claim it.');
	},
	'capital.grant.approve_claim': (actor, { application, offer }) => {
		if (application.process !== 'grant') return deny(NOT_GRANT);
		if (!isCountyStaff(actor)) return deny('Only council officers can approve a grant claim.');
		if (offer.offeredBy === actor.id) return deny('You made this offer, so another officer must approve the claim.');
		return independentOf(actor, { noun: 'application', settingIds: application.settingIds, involvement: [] }, 'another officer must approve the claim');
	},
	'capital.grant.end': (actor, { application }) => {
		if (application.process !== 'grant') return deny(NOT_GRANT);
		return capitalApplicationRules['capital.application.officer'](actor, { action: 'capital.application.officer', application });
	}
};
