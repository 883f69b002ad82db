// The words and shapes of a pooled-funding bid, shared by the server and the pages.

/** The four broad areas of need in the SEND Code of Practice. */
export const NEED_AREAS = {
	communication_interaction: 'Communication and interaction',
	cognition_learning: 'Cognition and learning',
	semh: 'Social, emotional and mental health',
	sensory_physical: 'Sensory and/or physical'
} as const;
export type NeedArea = keyof typeof NEED_AREAS;

/** The measures the plan reports to DfE each quarter. */
export const INCLUSION_MEASURES = {
	IM1: 'More inclusive mainstream settings',
	IM2: 'Improved confidence in mainstream settings',
	IM3: 'Meeting needs locally',
	IM4: 'Meeting needs earlier',
	IM5: 'Using the views of children, young people and families'
} as const;
export type InclusionMeasure = keyof typeof INCLUSION_MEASURES;

export const BUDGET_CATEGORIES = {
	staffing: 'Staffing',
	training: 'Training',
	resources: 'Resources and equipment',
	commissioned: 'Commissioned services',
	other: 'Other'
} as const;
export type BudgetCategory = keyof typeof BUDGET_CATEGORIES;

export const BID_STATUSES = {
	draft: 'Draft',
	endorsement: 'Awaiting cluster endorsement',
	review: 'With council officers',
	approved: 'Approved',
	declined: 'Declined',
	funded: 'Funded',
	closed: 'Closed',
	withdrawn: 'Withdrawn'
} as const;
export type BidStatus = keyof typeof BID_STATUSES;

/** Whether a stored or posted word is one of the bid statuses (never a name only Object.prototype knows). */
export const isBidStatus = (status: string): status is BidStatus => Object.hasOwn(BID_STATUSES, status);

/**
 * A bid's status in words. A draft that was submitted before (submission number above 0) can only
 * have been returned for changes, and "Draft" beside "submitted on ..." reads as a contradiction.
 */
export function bidStatusLabel(status: string, submissionNo = 0): string {
	if (status === 'draft' && submissionNo > 0) return 'Returned for changes';
	return isBidStatus(status) ? BID_STATUSES[status] : status;
}

/** Sections people edit separately, each with its own version so two writers rarely collide. */
export const BID_SECTIONS = {
	overview: 'Title and summary',
	need: 'Need and cohort',
	measures: 'Inclusion measures',
	budget: 'Budget',
	pledges: 'Pledges to the pool',
	milestones: 'Milestones',
	evaluation: 'Evaluation'
} as const;
export type BidSection = keyof typeof BID_SECTIONS;

/** Each section's version (absent until first saved), stored with the bid. */
export type SectionVersions = Partial<Record<BidSection, number>>;

export const ENDORSEMENT_RULES = {
	majority: 'More than half of the cluster’s settings outside the bid',
	percentage: 'A percentage of the cluster’s settings',
	count: 'A number of settings'
} as const;
export type EndorsementRule = keyof typeof ENDORSEMENT_RULES;

/** A funding round takes bids while open. */
export type RoundStatus = 'open' | 'closed';
/** A setting's view of a submitted bid. */
export type EndorsementDecision = 'endorse' | 'object';
export type MilestoneProgress = 'not_started' | 'on_track' | 'at_risk' | 'done';
