// The decisions on a scheme after scoring, as pure rules: which moves are decisions recorded on
// the decisions page, and what each needs from the assessment before it may be made.
import type { ApplicationMove } from '../flow';
import type { AssessmentState } from './scoring';

export const DECISION_MOVES = ['recommend', 'not_recommend', 'endorse_at_board', 'approve_in_principle', 'decline'] as const;
export type DecisionMove = (typeof DECISION_MOVES)[number];

export function isDecisionMove(value: unknown): value is DecisionMove {
	return DECISION_MOVES.some((move) => move === value);
}

/** Who makes each decision, in words for the timeline. */
export const DECISION_BODY: Record<DecisionMove, string> = {
	recommend: 'Officers’ recommendation',
	not_recommend: 'Officers’ recommendation',
	endorse_at_board: 'Capital board',
	approve_in_principle: 'Sufficiency Board',
	decline: 'Sufficiency Board'
};

/** Why the assessment does not yet allow this decision, or null when it does. */
export function decisionProblem(move: ApplicationMove, state: AssessmentState | null): string | null {
	if (move !== 'recommend' && move !== 'not_recommend') return null;
	if (state === 'needs_moderation') return 'A criterion’s scores are too far apart. A moderator must record the moderated score before a recommendation.';
	if (state !== 'agreed') return 'The application has no agreed or moderated score yet. At least two assessors must score it, and any spread be moderated, before a recommendation.';
	return null;
}
