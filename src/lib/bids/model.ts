// The words and shapes of a pooled-funding bid, shared by the server and the pages. The labels
// themselves are data (words.json): one place to reword what people see, keyed by what is stored.
import words from './words.json';

/** The four broad areas of need in the SEND Code of Practice. */
export const NEED_AREAS = words.needAreas;
export type NeedArea = keyof typeof NEED_AREAS;

/** The measures the plan reports to DfE each quarter. */
export const INCLUSION_MEASURES = words.inclusionMeasures;
export type InclusionMeasure = keyof typeof INCLUSION_MEASURES;

export const BUDGET_CATEGORIES = words.budgetCategories;
export type BudgetCategory = keyof typeof BUDGET_CATEGORIES;

export const BID_STATUSES = words.bidStatuses;
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
export const BID_SECTIONS = words.bidSections;
export type BidSection = keyof typeof BID_SECTIONS;

/** Each section's version (absent until first saved), stored with the bid. */
export type SectionVersions = Partial<Record<BidSection, number>>;

export const ENDORSEMENT_RULES = words.endorsementRules;
export type EndorsementRule = keyof typeof ENDORSEMENT_RULES;

/** A funding round takes bids while open. */
export type RoundStatus = 'open' | 'closed';
/** A setting's view of a submitted bid. */
export type EndorsementDecision = 'endorse' | 'object';
export type MilestoneProgress = 'not_started' | 'on_track' | 'at_risk' | 'done';
