// What happens after a dispute panel meets: the words and shapes shared by the server and the
// outcome pages. Plain constants only, so a page that imports them ships no server code.
import type { Period } from './model';

export const OUTCOME_RESULTS = ['resolved', 'partly_resolved', 'not_resolved'] as const;
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number];
export const OUTCOME_RESULT_LABELS: Record<OutcomeResult, string> = {
	resolved: 'Resolved',
	partly_resolved: 'Partly resolved',
	not_resolved: 'Not resolved'
};

/** Who owns an agreed action: the family, the setting, or a named portal user (the school's SENCO, a SENDIASS officer). */
export const ACTION_OWNER_KINDS = ['family', 'setting', 'user'] as const;
export type ActionOwnerKind = (typeof ACTION_OWNER_KINDS)[number];

export const FEEDBACK_PARTIES = ['family', 'setting'] as const;
export type FeedbackParty = (typeof FEEDBACK_PARTIES)[number];
export const FEEDBACK_PARTY_LABELS: Record<FeedbackParty, string> = { family: 'The family', setting: 'The setting' };

export const FLAG_LEVELS = ['approaching', 'past'] as const;
export type FlagLevel = (typeof FLAG_LEVELS)[number];

/** What a legal hold is for: while it stands, a closed case is not anonymised. */
export const LEGAL_HOLDS = ['ombudsman', 'tribunal'] as const;
export type LegalHold = (typeof LEGAL_HOLDS)[number];
export const LEGAL_HOLD_LABELS: Record<LegalHold, string> = {
	ombudsman: 'An Ombudsman complaint is pending',
	tribunal: 'A Tribunal appeal is pending'
};

/** The escalation routes an unresolved case can take, keyed on who the disagreement is with. */
export const ESCALATION_ROUTES = ['school', 'academy', 'council', 'ehc', 'health'] as const;
export type EscalationRoute = (typeof ESCALATION_ROUTES)[number];
export const ESCALATION_ROUTE_LABELS: Record<EscalationRoute, string> = {
	school: 'The school’s complaints procedure, then its governing board',
	academy: 'The academy’s complaints procedure, then its trust’s panel, then the Department for Education',
	council: 'The council’s complaints procedure, then the Local Government and Social Care Ombudsman',
	ehc: 'A mediation adviser, then the First-tier Tribunal (SEND)',
	health: 'The NHS complaints procedure, then the Parliamentary and Health Service Ombudsman'
};

/** One step of an escalation route, with the date worked out for it. */
export interface EscalationStep {
	key: string;
	what: string;
	/** The date the step should be taken or answered by (YYYY-MM-DD, London). */
	due: string;
}

/**
 * The periods the outcome part measures with, kept by officers per district in
 * `dispute_district.outcome_periods` (a missing key means the default below).
 */
export interface OutcomePeriods {
	/** A setting's complaints procedure: time to respond to a formal complaint. */
	settingComplaint: Period;
	/** A governing board (or trust) complaints panel: time to hear and decide. */
	boardComplaint: Period;
	/** Time to take an academy or college complaint to the Department for Education after the trust's panel. */
	dfeComplaint: Period;
	/** The council's complaints procedure: time to respond. */
	councilComplaint: Period;
	/** Time to take a complaint to an Ombudsman after the final response. */
	ombudsman: Period;
	/** The NHS complaints procedure: time to respond. */
	nhsComplaint: Period;
	/** Contacting a mediation adviser after an unresolved EHC matter. */
	mediationAdviser: Period;
	/** Appealing to the Tribunal after the mediation certificate. */
	tribunalAfterCertificate: Period;
	/** From the outcome to the follow-up check. */
	followUp: Period;
	/** How long before a target or deadline a case is flagged as approaching (working days). */
	approachingWarning: Period;
}

export const DEFAULT_OUTCOME_PERIODS: OutcomePeriods = {
	settingComplaint: { count: 15, unit: 'school' },
	boardComplaint: { count: 20, unit: 'school' },
	dfeComplaint: { count: 3, unit: 'months' },
	councilComplaint: { count: 20, unit: 'working' },
	ombudsman: { count: 12, unit: 'months' },
	nhsComplaint: { count: 6, unit: 'months' },
	mediationAdviser: { count: 2, unit: 'months' },
	tribunalAfterCertificate: { count: 1, unit: 'months' },
	followUp: { count: 30, unit: 'working' },
	approachingWarning: { count: 5, unit: 'working' }
};

export const OUTCOME_PERIOD_LABELS: Record<keyof OutcomePeriods, string> = {
	settingComplaint: 'A setting’s answer to a formal complaint',
	boardComplaint: 'A governing board or trust panel’s decision',
	dfeComplaint: 'Taking an academy or college complaint to the Department for Education',
	councilComplaint: 'The council’s answer to a complaint',
	ombudsman: 'Taking a complaint to an Ombudsman',
	nhsComplaint: 'The NHS’s answer to a complaint',
	mediationAdviser: 'Contacting a mediation adviser',
	tribunalAfterCertificate: 'Appealing to the Tribunal after the mediation certificate',
	followUp: 'From the outcome to the follow-up check',
	approachingWarning: 'Flag a target or deadline as approaching this long before it'
};

/** The outcome periods' keys in the order the settings page lists them. */
export const OUTCOME_PERIOD_KEYS = [
	'settingComplaint',
	'boardComplaint',
	'dfeComplaint',
	'councilComplaint',
	'ombudsman',
	'nhsComplaint',
	'mediationAdviser',
	'tribunalAfterCertificate',
	'followUp',
	'approachingWarning'
] as const satisfies readonly (keyof OutcomePeriods)[];
