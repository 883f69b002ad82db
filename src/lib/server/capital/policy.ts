import { allow, deny, isCountyStaff, type RuleMap } from '../decision';
import type { CapitalRoundStatus, Signatory } from '$lib/capital/model';
import { SIGNATORY_LABELS } from '$lib/capital/model';
import type { SettingRoleName } from '$lib/roles';
import { signatoryWords } from './rules';

// Who may see and change the inclusion-base capital programme, and who may sign for a setting.
// Merged into `can()`.

/** A setting as signing reads it: its type's signatories (data in `setting_type`). */
export interface SigningSetting {
	id: number;
	name: string;
	signatories: readonly Signatory[];
}

/**
 * Which of a setting's roles in the portal may sign in each capacity. The head of a setting signs
 * as its headteacher, principal, owner or manager, or as the childminder; the governing body and
 * the trust sign for themselves, which no role in a setting can do for them.
 */
export const SIGNS_AS: Record<Signatory, readonly SettingRoleName[]> = {
	headteacher: ['headteacher'],
	principal: ['headteacher'],
	owner_manager: ['headteacher'],
	childminder: ['headteacher'],
	governing_body: [],
	trust: []
};

export type CapitalCheck =
	| { action: 'capital.view' }
	| { action: 'capital.manage' }
	| { action: 'capital.rounds.view' }
	| { action: 'capital.round.view'; round: { status: CapitalRoundStatus } }
	| { action: 'capital.sign'; setting: SigningSetting; as: Signatory };

const OFFICERS_ONLY = 'Only council officers can see and change the capital programme’s set-up.';

export const capitalRules: RuleMap<CapitalCheck> = {
	'capital.view': (actor) => (isCountyStaff(actor) ? allow : deny(OFFICERS_ONLY)),
	'capital.manage': (actor) => (isCountyStaff(actor) ? allow : deny(OFFICERS_ONLY)),
	'capital.rounds.view': (actor) =>
		isCountyStaff(actor) || actor.settingRoles.length > 0 || actor.clusterRoles.length > 0
			? allow
			: deny('Capital funding rounds are open to people who work in a setting or a cluster, and to council officers.'),
	'capital.round.view': (actor, { round }) => {
		if (isCountyStaff(actor)) return allow;
		if (round.status === 'draft') return deny('This round has not been published yet.');
		return actor.settingRoles.length > 0 || actor.clusterRoles.length > 0
			? allow
			: deny('Capital funding rounds are open to people who work in a setting or a cluster, and to council officers.');
	},
	'capital.sign': (actor, { setting, as }) => {
		if (!setting.signatories.includes(as)) {
			return deny(`${signatoryWords(setting.signatories)} sign${setting.signatories.length === 1 ? 's' : ''} for ${setting.name}, not ${SIGNATORY_LABELS[as]}.`);
		}
		const role = actor.settingRoles.find((r) => r.settingId === setting.id && SIGNS_AS[as].includes(r.role));
		if (role) return allow;
		return deny(`Only ${SIGNATORY_LABELS[as]} of ${setting.name} can sign for it in that capacity.`);
	}
};
