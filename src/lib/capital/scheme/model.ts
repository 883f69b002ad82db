// A specialist scheme after approval in principle, as both ends see it: the words stored in its
// status and step columns (the generated table types use these unions) and their labels. Plain
// constants, no zod, so a page can import them.

/** The statutory steps a scheme may need: which apply is `statutoryStepsFor` (rules.ts). */
export const STATUTORY_STEPS = ['prescribed_alteration', 'significant_change', 'planning'] as const;
export type StatutoryStep = (typeof STATUTORY_STEPS)[number];
export const STATUTORY_STEP_LABELS: Record<StatutoryStep, string> = {
	prescribed_alteration: 'Prescribed alteration (maintained school)',
	significant_change: 'Significant change (academy)',
	planning: 'Planning permission'
};

export const STEP_STATUSES = ['not_started', 'in_progress', 'approved', 'refused'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
	not_started: 'Not started',
	in_progress: 'In progress',
	approved: 'Approved',
	refused: 'Refused'
};

export const CHANGE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export const CHANGE_STATUS_LABELS: Record<ChangeStatus, string> = { pending: 'Waiting for a decision', approved: 'Approved', rejected: 'Turned down' };

export const AGREEMENT_STATUSES = ['issued', 'signed', 'superseded'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
export const AGREEMENT_STATUS_LABELS: Record<AgreementStatus, string> = { issued: 'Issued, waiting for signatures', signed: 'Signed', superseded: 'Superseded by a later version' };

/** A statutory approval as the agreement records it when issued. */
export interface StatutoryRecord {
	step: StatutoryStep;
	status: StepStatus;
	on: string;
}

/** How long after opening the council can claw the capital back if the base closes or changes use. */
export const DEFAULT_CLAWBACK_YEARS = 10;

export const DEFAULT_AGREEMENT_CONDITIONS = [
	'The capital is spent only on the base described in the application and the costed scheme.',
	'The setting keeps the base open for the places commissioned, for children and young people with an education, health and care plan.',
	'The setting tells the council at once if it proposes to close the base or change its use.',
	'The setting keeps records of the spend for six years and shows them to the council on request.'
].join('\n');
