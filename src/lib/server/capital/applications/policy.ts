import { allow, deny, independentOf, isCountyStaff, type Decision, type RuleMap } from '../../decision';
import type { Actor } from '../../auth/actor';
import type { ApplicationStage } from '$lib/capital/flow';
import { EDITABLE } from '$lib/capital/flow';
import type { CapitalProcess, CapitalRoundStatus } from '$lib/capital/model';
import { BODY_CAPACITIES, CAPACITY_LABELS, type SigningCapacity } from '$lib/capital/applications/model';
import { capitalRules } from '../policy';
import type { SignerSetting } from './rules';

// Who may see and act on an inclusion-base application (`applicationAccess`, which the assessment
// and money parts read the same way), start one, sign it, and see its evidence files. Merged into `can()`.

/** An application as the policy reads it, loaded under the lock the write takes. */
export interface ApplicationRef {
	id: number;
	stage: ApplicationStage;
	process: CapitalProcess;
	districtId: number;
	leadSettingId: number;
	/** The lead and every covered setting. */
	settingIds: readonly number[];
}

export type CapitalApplicationCheck =
	| { action: 'capital.application.start'; round: { status: CapitalRoundStatus }; line: { eligibleSettingTypes: readonly string[]; name: string }; settings: readonly { id: number; name: string; settingType: string }[] }
	| { action: 'capital.application.start_for_trust'; trust: { name: string }; settings: readonly TrustSchool[] }
	| { action: 'capital.application.view'; application: ApplicationRef }
	| { action: 'capital.application.edit'; application: ApplicationRef }
	| { action: 'capital.application.withdraw'; application: ApplicationRef }
	| { action: 'capital.application.officer'; application: ApplicationRef }
	| { action: 'capital.application.sign'; application: ApplicationRef; setting: SignerSetting; as: SigningCapacity }
	| { action: 'capital.application.file'; application: ApplicationRef; file: { sensitive: boolean }; viewer: FileViewer }
	| { action: 'capital.need.view' }
	| { action: 'capital.need.manage' }
	| { action: 'capital.register.view' }
	| { action: 'capital.register.manage' };

/** One of a trust's schools as the trust's multi-school application reads it. */
export interface TrustSchool {
	id: number;
	name: string;
	/** Who signs for it, from its setting type: a trust signs for its academies. */
	signatories: readonly string[];
}

/** The asking person's part in the application that opening its files depends on. */
export interface FileViewer {
	/** They declared a conflict of interest in this application (as an assessor). */
	declaredConflict: boolean;
}

const isStaffOf = (actor: Actor, application: ApplicationRef) => actor.settingRoles.some((r) => application.settingIds.includes(r.settingId));
const DISTRICT_ROLES = ['cluster_lead', 'pcf_rep'];

/**
 * Who may see an application: the staff (headteacher and SENCO) of its settings, council officers,
 * and once it is submitted the district's cluster leads and PCF representatives (for comment).
 * Assessors assigned to its round are the assessment part's own check.
 */
export function applicationAccess(actor: Actor, application: ApplicationRef) {
	if (isCountyStaff(actor) || isStaffOf(actor, application)) return allow;
	const districtRole = actor.clusterRoles.some((r) => r.clusterId === application.districtId && DISTRICT_ROLES.includes(r.role));
	if (districtRole && application.stage !== 'draft') return allow;
	if (districtRole) return deny('The district sees an application once it has been submitted.');
	return deny('Only the staff of the settings applying, council officers and, once it is submitted, the district’s cluster leads and PCF representatives can see this application.');
}

/**
 * Whether this person may sign for a setting in a capacity (an application, a scheme's funding
 * agreement): a person signs as themselves by the programme's rule; a governing body's, a trust's
 * or a landowner's sign-off (none of them portal users) is recorded by the setting's headteacher.
 */
export function maySignFor(actor: Actor, setting: SignerSetting, as: SigningCapacity): Decision {
	if (as === 'landowner') {
		if (!setting.landownerConsent) return deny(`${setting.name} does not need a landowner’s consent.`);
	} else if (!BODY_CAPACITIES.includes(as) || !setting.signatories.includes(as)) {
		// A person signing for themselves, or a capacity the setting's type does not have: the programme's rule.
		return capitalRules['capital.sign'](actor, { action: 'capital.sign', setting, as });
	}
	return actor.settingRoles.some((r) => r.settingId === setting.id && r.role === 'headteacher')
		? allow
		: deny(`Only the headteacher of ${setting.name} can record ${CAPACITY_LABELS[as]}’s sign-off.`);
}

const notEditable = (stage: ApplicationStage) =>
	stage === 'submitted' || stage === 'in_assessment'
		? 'This application has been submitted, so it can no longer be changed. A council officer can ask for more information, which opens it again.'
		: 'This application can no longer be changed.';

export const capitalApplicationRules: RuleMap<CapitalApplicationCheck> = {
	'capital.application.start': (actor, { round, line, settings }) => {
		if (round.status !== 'open') return deny('This round is not open for applications.');
		if (settings.length === 0) return deny('Choose the setting the base will be in.');
		for (const setting of settings) {
			if (!line.eligibleSettingTypes.includes(setting.settingType)) return deny(`${setting.name} is not a kind of setting that can apply to ${line.name}.`);
			if (!actor.settingRoles.some((r) => r.settingId === setting.id)) return deny(`Only the headteacher or SENCO of ${setting.name} can apply for it.`);
		}
		return allow;
	},
	// Whoever may record the trust's sign-off for every school chosen (the signing rule below: a
	// trust is not a portal user, so the school's headteacher records it) may start its drafts.
	'capital.application.start_for_trust': (actor, { trust, settings }) => {
		if (settings.length === 0) return deny('Choose at least one of the trust’s schools.');
		for (const setting of settings) {
			if (!setting.signatories.includes('trust')) return deny(`${trust.name} does not sign for ${setting.name}, so it cannot be part of the trust’s application.`);
			if (!actor.settingRoles.some((r) => r.settingId === setting.id && r.role === 'headteacher')) {
				return deny(`Only the headteacher of ${setting.name} can record ${trust.name}’s sign-off for it, so you cannot apply for it on the trust’s behalf.`);
			}
		}
		return allow;
	},
	'capital.application.view': (actor, { application }) => applicationAccess(actor, application),
	'capital.application.edit': (actor, { application }) => {
		if (!isStaffOf(actor, application)) return deny('Only the staff of the settings applying can write this application.');
		return EDITABLE.includes(application.stage) ? allow : deny(notEditable(application.stage));
	},
	'capital.application.withdraw': (actor, { application }) =>
		actor.settingRoles.some((r) => r.settingId === application.leadSettingId && r.role === 'headteacher')
			? allow
			: deny('Only the headteacher of the lead setting can withdraw this application.'),
	'capital.application.officer': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers can move an application on.');
		return independentOf(actor, { noun: 'application', settingIds: application.settingIds, involvement: [] }, 'another officer must move it on');
	},
	'capital.application.sign': (actor, { application, setting, as }) => {
		if (!application.settingIds.includes(setting.id)) return deny(`${setting.name} is not part of this application.`);
		if (!EDITABLE.includes(application.stage)) return deny(notEditable(application.stage));
		return maySignFor(actor, setting, as);
	},
	'capital.application.file': (actor, { application, file, viewer }) => {
		const seen = applicationAccess(actor, application);
		if (!seen.allowed) return seen;
		if (!file.sensitive) return allow;
		if (!isCountyStaff(actor)) return deny('This file may show pupils or the layout of the building, so only council officers and assessors can open it.');
		// Safeguarding: a declared conflict (governing the setting, working for its trust, a child
		// there) removes an officer from the application, and from the files that show pupils or the building.
		if (viewer.declaredConflict) {
			return deny('You declared a conflict of interest in this application, so you cannot see its safeguarding-sensitive files (floor plans and photos that may show pupils).');
		}
		return allow;
	},
	'capital.need.view': (actor) =>
		isCountyStaff(actor) || actor.settingRoles.length > 0 || actor.clusterRoles.length > 0
			? allow
			: deny('District need figures are for people who work in a setting or a cluster, and council officers.'),
	'capital.need.manage': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can change the district need figures.')),
	'capital.register.view': (actor) =>
		isCountyStaff(actor) || actor.clusterRoles.length > 0
			? allow
			: deny('The rollout register is for council officers and cluster roles.'),
	'capital.register.manage': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can change the rollout register.'))
};
