// A bid's written content as one value: what a submission freezes, what endorsers endorse, and
// what "changed since you endorsed" compares. Pure, shared by server and pages.
import { BID_SECTIONS, BUDGET_CATEGORIES, INCLUSION_MEASURES, NEED_AREAS, type BidSection } from './model';
import { PHASE_LABELS } from '$lib/roles';
import { sumPence } from './rules';
import { formatPence } from '$lib/format';

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

const money = formatPence;

/** Each section as plain lines of text, for showing a submission and comparing two of them. */
export function sectionLines(content: BidContent, section: BidSection): string[] {
	switch (section) {
		case 'overview':
			return [`Title: ${content.title}`, `Summary: ${content.summary}`];
		case 'need':
			return [
				`Areas of need: ${content.needs.map((n) => NEED_AREAS[n as keyof typeof NEED_AREAS] ?? n).join(', ') || 'none'}`,
				`Phases: ${content.phases.map((p) => PHASE_LABELS[p] ?? p).join(', ') || 'none'}`,
				`Cohort size: ${content.cohortSize ?? 'not given'}`
			];
		case 'measures':
			return content.measures.map(
				(m) => `${m.measure} ${INCLUSION_MEASURES[m.measure as keyof typeof INCLUSION_MEASURES] ?? ''}: ${m.outcome}`
			);
		case 'budget':
			return content.budgetLines.map(
				(l) => `${l.item} (${BUDGET_CATEGORIES[l.category as keyof typeof BUDGET_CATEGORIES] ?? l.category}): ${money(l.costPence)}`
			);
		case 'pledges':
			return content.pledges.map(
				(p) =>
					`${p.settingName}: ${money(p.moneyPence)}${p.staffHours ? ` and ${p.staffHours} hours of staff time` : ''}${p.staffDescription ? ` (${p.staffDescription})` : ''}`
			);
		case 'milestones':
			return content.milestones.map((m) => `${m.dueOn}: ${m.title}`);
		case 'evaluation':
			return [content.evaluation];
	}
}

export interface SectionChange {
	section: BidSection;
	label: string;
	before: string[];
	after: string[];
}

/** The sections that differ between two versions, with their text before and after. */
export function changedSections(before: BidContent, after: BidContent): SectionChange[] {
	const changes: SectionChange[] = [];
	for (const section of Object.keys(BID_SECTIONS) as BidSection[]) {
		const a = sectionLines(before, section);
		const b = sectionLines(after, section);
		if (JSON.stringify(a) !== JSON.stringify(b)) {
			changes.push({ section, label: BID_SECTIONS[section], before: a, after: b });
		}
	}
	return changes;
}
