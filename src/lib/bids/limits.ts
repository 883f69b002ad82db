// A bid's input limits as plain constants: pages import these (never `$lib/schemas/bids`, which
// would ship zod to the browser), and the schemas build their checks from the same numbers.
export const BID_TITLE_MAX = 150;
export const BID_TEXT_MAX = 5000;
export const BUDGET_LINES_MAX = 50;
export const MILESTONES_MAX = 30;
export const COHORT_MAX = 100_000;
export const STAFF_HOURS_MAX = 100_000;
