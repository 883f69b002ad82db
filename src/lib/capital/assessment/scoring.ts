// Scoring arithmetic for capital schemes, as pure rules: each criterion's spread between the
// assessors' latest scores, whether it calls for moderation, the score it settles on (the
// moderator's where there is one, else the assessors' mean once enough have scored and they
// agree within the width), and the weighted total. Scores are whole points from 0 to 5; settled
// scores and totals are kept in hundredths so nothing is a float in storage.

export const SCORE_MIN = 0;
export const SCORE_MAX = 5;
/** Independent scores a criterion needs before the assessors' mean can stand as the agreed score. */
export const MIN_INDEPENDENT_SCORES = 2;
export const DEFAULT_SPREAD_WIDTH = 2;

export const SCORE_LABELS: Record<number, string> = {
	0: '0 – no evidence',
	1: '1 – weak',
	2: '2 – partly met',
	3: '3 – met',
	4: '4 – well met',
	5: '5 – excellent'
};

export type AssessmentState = 'scoring' | 'needs_moderation' | 'agreed';
export const ASSESSMENT_STATE_LABELS: Record<AssessmentState, string> = {
	scoring: 'Being scored',
	needs_moderation: 'Needs moderation',
	agreed: 'Score agreed'
};

export interface CriterionScores {
	criterionId: number;
	/** Percent; a round's weights add up to 100. */
	weight: number;
	/** Each assessor's latest score for this criterion. */
	scores: readonly number[];
	/** The moderator's latest score, if moderated. */
	moderated: number | null;
}

export interface CriterionOutcome {
	criterionId: number;
	spread: number | null;
	flagged: boolean;
	/** The settled score in hundredths of a point (0 to 500), or null while not settled. */
	settled: number | null;
}

export function spreadOf(scores: readonly number[]): number | null {
	if (scores.length < 2) return null;
	return Math.max(...scores) - Math.min(...scores);
}

/** A spread beyond the width on this criterion calls for a moderator. */
export function needsModeration(scores: readonly number[], width: number): boolean {
	const spread = spreadOf(scores);
	return spread !== null && spread > width;
}

export function criterionOutcome(criterion: CriterionScores, width: number): CriterionOutcome {
	const spread = spreadOf(criterion.scores);
	const flagged = needsModeration(criterion.scores, width);
	let settled: number | null = null;
	if (criterion.moderated !== null) settled = criterion.moderated * 100;
	else if (!flagged && criterion.scores.length >= MIN_INDEPENDENT_SCORES) {
		settled = Math.round((criterion.scores.reduce((sum, s) => sum + s, 0) * 100) / criterion.scores.length);
	}
	return { criterionId: criterion.criterionId, spread, flagged, settled };
}

export interface AssessmentOutcome {
	state: AssessmentState;
	criteria: CriterionOutcome[];
	/** Criteria flagged and not yet moderated. */
	awaitingModeration: number[];
	/** The weighted total in hundredths of a percent (0 to 10000), once every criterion is settled. */
	totalHundredths: number | null;
}

/** Σ weight × settled ÷ maximum, in hundredths of a percent. */
export function weightedTotal(settled: readonly { weight: number; settled: number }[]): number {
	return Math.round(settled.reduce((sum, c) => sum + (c.weight * c.settled) / SCORE_MAX, 0));
}

export function assessmentOutcome(criteria: readonly CriterionScores[], width: number): AssessmentOutcome {
	const outcomes = criteria.map((c) => criterionOutcome(c, width));
	const awaitingModeration = outcomes.filter((o, i) => o.flagged && criteria[i].moderated === null).map((o) => o.criterionId);
	const allSettled = outcomes.length > 0 && outcomes.every((o) => o.settled !== null);
	const totalHundredths = allSettled ? weightedTotal(outcomes.map((o, i) => ({ weight: criteria[i].weight, settled: o.settled! }))) : null;
	const state: AssessmentState = awaitingModeration.length ? 'needs_moderation' : totalHundredths !== null ? 'agreed' : 'scoring';
	return { state, criteria: outcomes, awaitingModeration, totalHundredths };
}

/** "72.50%" from hundredths of a percent. */
export const percentWords = (hundredths: number) => `${(hundredths / 100).toFixed(2)}%`;
/** "3.5" from hundredths of a point. */
export const pointsWords = (hundredths: number) => `${Number((hundredths / 100).toFixed(2))}`;

/** Capital asked per place, in whole pence (rounded), or null without places. */
export function valuePerPlace(requestedPence: number | null, places: number | null): number | null {
	if (requestedPence === null || !places) return null;
	return Math.round(requestedPence / places);
}

/** How a value per place stands against the line's benchmark: a warning, never a cap. */
export function benchmarkNote(perPlacePence: number | null, benchmarkPence: number | null): 'within' | 'above' | null {
	if (perPlacePence === null || benchmarkPence === null) return null;
	return perPlacePence > benchmarkPence ? 'above' : 'within';
}

export interface Rankable {
	id: number;
	totalHundredths: number | null;
	perPlacePence: number | null;
}

/** Ranking order: agreed scores first, highest first; then better value per place; then the earlier application. */
export function compareRanking(a: Rankable, b: Rankable): number {
	const ta = a.totalHundredths ?? -1;
	const tb = b.totalHundredths ?? -1;
	if (ta !== tb) return tb - ta;
	const va = a.perPlacePence ?? Number.MAX_SAFE_INTEGER;
	const vb = b.perPlacePence ?? Number.MAX_SAFE_INTEGER;
	if (va !== vb) return va - vb;
	return a.id - b.id;
}
