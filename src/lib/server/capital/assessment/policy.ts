import { allow, deny, isCountyStaff, type Decision, type RuleMap } from '../../decision';
import type { Actor } from '../../auth/actor';
import { BEFORE_DECISION, type ApplicationStage } from '$lib/capital/flow';
import type { CapitalProcess } from '$lib/capital/model';
import type { DecisionMove } from '$lib/capital/assessment/decisions';

// Who may assess, see scores, moderate and decide on an inclusion-base application. Merged into
// `can()`. Each rule reads the application as `loadAssessmentRef` gives it, read under the lock the
// write takes, with what this person has done to it: assigned to its round's line, declared (no
// conflict, or a conflict that removes them), scored it, moderated it.

export type Declared = 'none' | 'conflict' | null;

export interface AssessmentRef {
	id: number;
	reference: string;
	stage: ApplicationStage;
	process: CapitalProcess;
	districtId: number;
	/** The lead setting and the settings the application covers: their staff are the applicants. */
	settingIds: readonly number[];
	/** The asking person's part in it. */
	viewer: {
		assigned: boolean;
		declared: Declared;
		scored: boolean;
		moderated: boolean;
		/** A cluster lead or PCF representative of the application's district (or a locality under it). */
		districtRole: boolean;
	};
}

export type AssessmentCheck =
	| { action: 'capital.assessors.manage' }
	| { action: 'capital.assess.queue' }
	| { action: 'capital.ranking.view' }
	| { action: 'capital.assessment.declare'; application: AssessmentRef }
	| { action: 'capital.assessment.read'; application: AssessmentRef }
	| { action: 'capital.assessment.follow'; application: AssessmentRef }
	| { action: 'capital.assessment.score'; application: AssessmentRef }
	| { action: 'capital.scores.view'; application: AssessmentRef }
	| { action: 'capital.assessment.moderate'; application: AssessmentRef }
	| { action: 'capital.decisions.view'; application: AssessmentRef }
	| { action: 'capital.application.decide'; application: AssessmentRef; move: DecisionMove };

const OFFICERS_ONLY = 'Only council officers assess capital applications.';
const NOT_ASSIGNED = 'You are not an assessor for this application’s round and line. An officer assigns assessors on the round.';
const CONFLICTED = 'You declared a conflict of interest in this application, so you have been removed from assessing it.';

const officer = (actor: Actor): Decision => (isCountyStaff(actor) ? allow : deny(OFFICERS_ONLY));
const isApplicant = (actor: Actor, application: AssessmentRef) => actor.settingRoles.some((r) => application.settingIds.includes(r.settingId));
/** Decided: past every stage before a decision (a withdrawal is not a decision on its merits). */
export const isDecided = (stage: ApplicationStage) => !BEFORE_DECISION.includes(stage) && stage !== 'withdrawn';

/** An assigned assessor who declared no conflict: may read the application to score it. */
function clearedAssessor(actor: Actor, application: AssessmentRef): Decision {
	if (!isCountyStaff(actor)) return deny(OFFICERS_ONLY);
	const { viewer } = application;
	if (!viewer.assigned) return deny(NOT_ASSIGNED);
	if (viewer.declared === 'conflict') return deny(CONFLICTED);
	if (viewer.declared === null) return deny('Declare any conflict of interest first. Until you do, you see only the application’s reference and setting.');
	return allow;
}

export const assessmentRules: RuleMap<AssessmentCheck> = {
	'capital.assessors.manage': (actor) => officer(actor),
	'capital.assess.queue': (actor) => officer(actor),
	'capital.ranking.view': (actor) => officer(actor),
	'capital.assessment.declare': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny(OFFICERS_ONLY);
		if (!application.viewer.assigned) return deny(NOT_ASSIGNED);
		if (application.viewer.declared !== null) return deny('You have already declared your interests in this application. A declaration is kept as made.');
		return allow;
	},
	'capital.assessment.read': (actor, { application }) => clearedAssessor(actor, application),
	// Following the assessment live (told only that something changed, never what): the officers
	// who assess, moderate and decide. Each page then reloads only what its reader may see.
	'capital.assessment.follow': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers follow an assessment as it happens.');
		if (application.viewer.declared === 'conflict') return deny(CONFLICTED);
		return allow;
	},
	'capital.assessment.score': (actor, { application }) => {
		const cleared = clearedAssessor(actor, application);
		if (!cleared.allowed) return cleared;
		if (application.process === 'rollout') return deny('Rollout applications are a readiness and phasing assessment, not scored.');
		if (application.stage !== 'in_assessment') return deny('Scores can be given only while the application is being assessed.');
		return allow;
	},
	'capital.scores.view': (actor, { application }) => {
		if (isCountyStaff(actor)) {
			const { viewer } = application;
			if (!viewer.assigned) return allow;
			if (viewer.declared === 'conflict') return deny(CONFLICTED);
			// Blind scoring: an assessor sees others' scores only once their own are in.
			if (!viewer.scored) return deny('Scoring is blind: you will see the other assessors’ scores once you have submitted your own.');
			return allow;
		}
		if (isApplicant(actor, application)) {
			return isDecided(application.stage) ? allow : deny('Scores and feedback are shared with the applicant once a decision has been made.');
		}
		return deny('Scores are seen by the assessors, council officers and, after the decision, the applicant.');
	},
	'capital.assessment.moderate': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers moderate scores.');
		if (application.viewer.assigned) return deny('You are an assessor of this application, so another officer who did not score it must moderate.');
		if (application.stage !== 'in_assessment') return deny('Scores can be moderated only while the application is being assessed.');
		return allow;
	},
	'capital.decisions.view': (actor, { application }) => {
		if (isCountyStaff(actor)) return allow;
		if (isApplicant(actor, application)) return allow;
		if (application.viewer.districtRole && application.stage !== 'draft') return allow;
		return deny('Decisions on this application are seen by the applicant, the district’s cluster leads and PCF representatives, and council officers.');
	},
	'capital.application.decide': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers record decisions on capital applications.');
		if (application.viewer.declared === 'conflict') return deny('You declared a conflict of interest in this application, so another officer must record the decision.');
		if (application.viewer.scored) return deny('You scored this application, so another officer must record the decision.');
		if (application.viewer.moderated) return deny('You moderated this application’s scores, so another officer must record the decision.');
		const role = actor.settingRoles.find((r) => application.settingIds.includes(r.settingId));
		if (role) return deny(`You work at ${role.settingName}, which is part of this application, so another officer must record the decision.`);
		return allow;
	}
};
