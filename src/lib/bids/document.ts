// A bid as a collaborative document: its sections in order, how each reads as lines (what
// endorsers compare between versions) and what each still needs before the lead headteacher can
// sign it off. The task list, the submission's checks and "what changed since you endorsed" all
// come from this one declaration through the document kit (`$lib/document`).
import { checklist, defineDocument, type MissingItem } from '$lib/document';
import { PHASE_LABELS } from '$lib/roles';
import { formatPence } from '$lib/format';
import { BID_SECTIONS, BUDGET_CATEGORIES, INCLUSION_MEASURES, NEED_AREAS, type BidSection } from './model';
import { bidMoney, type BidContent } from './content';
import { ownValue } from '$lib/records';

/** Facts about a draft that are not its written content, which its sections' completeness depends on too. */
export interface SubmissionFacts {
	/** The settings whose headteacher has confirmed the setting's pledge. */
	confirmedPledges: readonly number[];
	partnerCount: number;
	maxRequestPence: number;
}

/** Facts the submission itself depends on, outside every section. */
export interface SignOffFacts {
	roundOpen: boolean;
	/** Whether the person reading may sign it off (their own sign-off is then the last step, not a gap). */
	leadHeadteacherSigned: boolean;
}

/**
 * The bid's content as the document kit reads it. A frozen snapshot has no facts: comparing two
 * versions needs only the summaries, and `bidChecklist` is the one place that asks what is missing.
 */
export type BidDraft = BidContent & { facts?: SubmissionFacts };

const label = (labels: Readonly<Record<string, string>>, key: string) => ownValue(labels, key);
const lines = (...wanted: [ok: boolean, message: string][]) => wanted.filter(([ok]) => !ok).map(([, message]) => message);

export const bidDocument = defineDocument<BidDraft, BidSection>({
	noun: 'bid',
	order: ['overview', 'need', 'measures', 'budget', 'pledges', 'milestones', 'evaluation'],
	sections: {
		overview: {
			label: BID_SECTIONS.overview,
			summary: (bid) => [`Title: ${bid.title}`, `Summary: ${bid.summary}`],
			started: (bid) => bid.title.trim() !== '' || bid.summary.trim() !== '',
			required: (bid) => lines([bid.title.trim().length > 0, 'Give the bid a title'], [bid.summary.trim().length > 0, 'Write a summary of what the bid will do'])
		},
		need: {
			label: BID_SECTIONS.need,
			summary: (bid) => [
				`Areas of need: ${bid.needs.map((n) => label(NEED_AREAS, n) ?? n).join(', ') || 'none'}`,
				`Phases: ${bid.phases.map((p) => PHASE_LABELS[p] ?? p).join(', ') || 'none'}`,
				`Cohort size: ${bid.cohortSize ?? 'not given'}`
			],
			started: (bid) => bid.needs.length > 0 || bid.phases.length > 0 || bid.cohortSize !== null,
			required: (bid) =>
				lines(
					[bid.needs.length > 0, 'Choose at least one area of need'],
					[bid.phases.length > 0, 'Choose the phases the bid covers'],
					[(bid.cohortSize ?? 0) > 0, 'Give the cohort size']
				)
		},
		measures: {
			label: BID_SECTIONS.measures,
			summary: (bid) => bid.measures.map((m) => `${m.measure} ${label(INCLUSION_MEASURES, m.measure) ?? ''}: ${m.outcome}`),
			required: (bid) =>
				lines(
					[bid.measures.length > 0, 'Choose at least one inclusion measure'],
					[bid.measures.every((m) => m.outcome.trim().length > 0), 'Give an intended outcome for every inclusion measure chosen']
				)
		},
		budget: {
			label: BID_SECTIONS.budget,
			summary: (bid) => bid.budgetLines.map((l) => `${l.item} (${label(BUDGET_CATEGORIES, l.category) ?? l.category}): ${formatPence(l.costPence)}`),
			required: (bid) => {
				const { requestedPence } = bidMoney(bid);
				return lines(
					[bid.budgetLines.length > 0, 'Add at least one budget line'],
					[requestedPence > 0, 'The amount requested must be more than £0'],
					[requestedPence <= (bid.facts?.maxRequestPence ?? Infinity), 'The amount requested is more than this round’s maximum request']
				);
			}
		},
		pledges: {
			label: BID_SECTIONS.pledges,
			summary: (bid) =>
				bid.pledges.map(
					(p) =>
						`${p.settingName}: ${formatPence(p.moneyPence)}${p.staffHours ? ` and ${p.staffHours} hours of staff time` : ''}${p.staffDescription ? ` (${p.staffDescription})` : ''}`
				),
			// Every bid starts with the lead's empty pledge: it has started once a partner or a pledge is in it.
			started: (bid) => (bid.facts?.partnerCount ?? 0) > 0 || bid.pledges.some((p) => p.moneyPence > 0 || p.staffHours > 0 || p.staffDescription !== ''),
			required: (bid) => {
				const facts = bid.facts;
				if (!facts) return [];
				return lines(
					[facts.partnerCount > 0, 'Add at least one partner setting'],
					...bid.pledges.map((p): [boolean, string] => [facts.confirmedPledges.includes(p.settingId), `${p.settingName}'s headteacher has not confirmed its pledge`])
				);
			}
		},
		milestones: {
			label: BID_SECTIONS.milestones,
			summary: (bid) => bid.milestones.map((m) => `${m.dueOn}: ${m.title}`),
			required: (bid) => lines([bid.milestones.length > 0, 'Add at least one milestone'])
		},
		evaluation: {
			label: BID_SECTIONS.evaluation,
			summary: (bid) => [bid.evaluation],
			required: (bid) => lines([bid.evaluation.trim().length > 0, 'Say how the bid will be evaluated'])
		}
	}
});

/** Everything still missing from the bid's sections before it can be signed off, section by section; empty means ready. */
export function bidChecklist(content: BidContent, facts: SubmissionFacts, base: string): MissingItem<BidSection>[] {
	return checklist(bidDocument, { ...content, facts }, base);
}

/**
 * What the submission itself still needs, beyond its sections: an open round, and the lead
 * headteacher's sign-off for anyone else reading. These belong to no section (the sign-off is the
 * check page's last step), so they never make a section "in progress".
 */
export function submissionChecks(facts: SignOffFacts): string[] {
	return lines([facts.roundOpen, 'The funding round is not open for submissions'], [facts.leadHeadteacherSigned, 'The lead setting’s headteacher must sign off the bid']);
}
