// A specialist scheme's rules after approval in principle, pure: which statutory steps apply,
// when a costed total needs change control and how much new money a rise needs, and what must be
// recorded before each move. The commands read the facts under the application's lock and ask
// these; the money itself (confirmed funding, a source's year, the line's allocation) is the money
// module's `commitmentProblems`, asked under its locks.
import { formatPence } from '$lib/format';
import type { Governance } from '$lib/capital/model';
import type { ApplicationMove } from '$lib/capital/flow';
import { STATUTORY_STEP_LABELS, STEP_STATUS_LABELS, type StatutoryStep, type StepStatus } from './model';

/**
 * The statutory steps a scheme needs: a maintained school makes a prescribed alteration, an
 * academy (or free school) a significant change through the DfE's process; planning permission
 * where the feasibility study says the works need it. Other settings need none but planning.
 */
export function statutoryStepsFor(governance: Governance, planningNeeded: boolean): StatutoryStep[] {
	const steps: StatutoryStep[] = [];
	if (governance === 'maintained') steps.push('prescribed_alteration');
	if (governance === 'academy') steps.push('significant_change');
	if (planningNeeded) steps.push('planning');
	return steps;
}

/** A costed total as change control reads it: unchanged, or a move from the approved amount (up or down). */
export type CostChange = { moved: false } | { moved: true; fromPence: number; toPence: number; rise: boolean };

export function costChange(approvedPence: number, costedTotalPence: number): CostChange {
	if (costedTotalPence === approvedPence) return { moved: false };
	return { moved: true, fromPence: approvedPence, toPence: costedTotalPence, rise: costedTotalPence > approvedPence };
}

/**
 * The new money a change needs before it can be approved: what the new total goes past the money
 * already committed to the application (nothing when the commitment already covers it, or the
 * cost falls).
 */
export function moneyNeededFor(toPence: number, committedPence: number): number {
	return Math.max(0, toPence - committedPence);
}

/** Why the feasibility figures cannot be recorded as given, field by field; empty when they can. */
export function feasibilityProblems(figures: { costedTotalPence: number; contingencyPence: number }): Record<string, string> {
	if (figures.contingencyPence > figures.costedTotalPence) {
		return { contingencyPence: `The contingency is part of the costed total, so it cannot be more than ${formatPence(figures.costedTotalPence)}.` };
	}
	return {};
}

/** What a scheme has recorded, as the move rules read it under the lock. */
export interface SchemeFacts {
	surveyDoneOn: string | null;
	costedTotalPence: number | null;
	approvedPence: number;
	pendingChange: boolean;
	/** The steps that apply (from the setting type and the feasibility), with the status recorded. */
	steps: readonly { step: StatutoryStep; status: StepStatus }[];
	eiaRecorded: boolean;
	committedPence: number;
	agreementSigned: boolean;
	milestones: { total: number; done: number };
}

function feasibilityMissing(facts: SchemeFacts): string[] {
	const missing: string[] = [];
	if (facts.surveyDoneOn === null) missing.push('the date of the site survey');
	if (facts.costedTotalPence === null) missing.push('the costed scheme total');
	else if (facts.pendingChange) missing.push('a decision on the change to the costed total');
	else if (facts.costedTotalPence !== facts.approvedPence) {
		missing.push(`an approved change: the costed total (${formatPence(facts.costedTotalPence)}) differs from the ${formatPence(facts.approvedPence)} approved`);
	}
	return missing;
}

const list = (items: string[]) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`);

/**
 * Why a scheme cannot make this move yet, naming everything missing; null when it can. The stage
 * itself is `moveFor`'s question (flow.ts): this is what each move needs recorded first.
 */
export function schemeMoveProblem(move: ApplicationMove, facts: SchemeFacts): string | null {
	const missing: string[] = [];
	switch (move) {
		case 'start_statutory':
			missing.push(...feasibilityMissing(facts));
			if (facts.steps.length === 0 && facts.surveyDoneOn !== null && facts.costedTotalPence !== null) {
				return 'No statutory steps apply to this scheme (its setting needs neither a prescribed alteration nor a significant change, and the feasibility says no planning is needed). Issue the funding agreement instead.';
			}
			break;
		case 'issue_agreement': {
			missing.push(...feasibilityMissing(facts));
			for (const { step, status } of facts.steps) {
				if (status !== 'approved') missing.push(`${STATUTORY_STEP_LABELS[step].toLowerCase()} recorded as approved (it is ${STEP_STATUS_LABELS[status].toLowerCase()})`);
			}
			if (!facts.eiaRecorded) missing.push('the equalities impact assessment');
			if (facts.costedTotalPence !== null && facts.committedPence < facts.approvedPence) {
				missing.push(`money committed for the whole scheme (${formatPence(facts.committedPence)} of ${formatPence(facts.approvedPence)} is committed)`);
			}
			break;
		}
		case 'start_delivery':
			if (!facts.agreementSigned) missing.push('every signature on the funding agreement');
			break;
		case 'open':
			if (facts.milestones.total === 0) missing.push('the delivery milestones');
			else if (facts.milestones.done < facts.milestones.total) missing.push(`every delivery milestone done (${facts.milestones.done} of ${facts.milestones.total} are)`);
			break;
		default:
			break;
	}
	return missing.length ? `Before this, record ${list(missing)}.` : null;
}
