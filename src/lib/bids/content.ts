// A bid's written content as one value: what a submission freezes, what endorsers endorse, and
// what "changed since you endorsed" compares (its sections are declared in `./document`). Pure,
// shared by server and pages.
import { sumPence } from './rules';

export interface BidContent {
	title: string;
	summary: string;
	needs: string[];
	phases: string[];
	cohortSize: number | null;
	measures: { measure: string; outcome: string }[];
	budgetLines: { item: string; category: string; costPence: number }[];
	pledges: { settingId: number; settingName: string; moneyPence: number; staffHours: number; staffDescription: string }[];
	milestones: { title: string; dueOn: string }[];
	evaluation: string;
}

export interface BidMoney {
	totalCostPence: number;
	pledgedPence: number;
	requestedPence: number;
}

/** Totals are always computed from the lines, never typed: requested = cost not covered by pledged money. */
export function bidMoney(content: Pick<BidContent, 'budgetLines' | 'pledges'>): BidMoney {
	const totalCostPence = sumPence(content.budgetLines.map((line) => line.costPence));
	const pledgedPence = sumPence(content.pledges.map((pledge) => pledge.moneyPence));
	return { totalCostPence, pledgedPence, requestedPence: Math.max(0, totalCostPence - pledgedPence) };
}
