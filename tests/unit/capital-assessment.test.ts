import { describe, expect, it } from 'vitest';
import {
	assessmentOutcome,
	benchmarkNote,
	compareRanking,
	criterionOutcome,
	needsModeration,
	percentWords,
	spreadOf,
	valuePerPlace,
	weightedTotal
} from '../../src/lib/capital/assessment/scoring';
import { decisionProblem, isDecisionMove } from '../../src/lib/capital/assessment/decisions';

describe('scoring arithmetic', () => {
	it('measures the spread between the assessors’ latest scores, none with fewer than two', () => {
		expect(spreadOf([3])).toBeNull();
		expect(spreadOf([1, 4, 2])).toBe(3);
		expect(spreadOf([2, 2])).toBe(0);
	});

	it('flags moderation only beyond the width, not at it', () => {
		expect(needsModeration([1, 3], 2)).toBe(false);
		expect(needsModeration([1, 4], 2)).toBe(true);
		expect(needsModeration([1, 4], 3)).toBe(false);
		expect(needsModeration([5], 0)).toBe(false);
	});

	it('settles a criterion on the mean when the assessors agree, on the moderator’s score when moderated, and not at all while flagged', () => {
		expect(criterionOutcome({ criterionId: 1, weight: 50, scores: [3, 4], moderated: null }, 2).settled).toBe(350);
		expect(criterionOutcome({ criterionId: 1, weight: 50, scores: [1, 5], moderated: null }, 2)).toMatchObject({ flagged: true, settled: null, spread: 4 });
		expect(criterionOutcome({ criterionId: 1, weight: 50, scores: [1, 5], moderated: 3 }, 2).settled).toBe(300);
		expect(criterionOutcome({ criterionId: 1, weight: 50, scores: [4], moderated: null }, 2).settled).toBeNull();
	});

	it('weights settled scores into a percentage in hundredths', () => {
		expect(weightedTotal([{ weight: 60, settled: 500 }, { weight: 40, settled: 0 }])).toBe(6000);
		expect(weightedTotal([{ weight: 40, settled: 350 }, { weight: 60, settled: 300 }])).toBe(6400);
		expect(percentWords(6400)).toBe('64.00%');
	});

	it('gives no total until two assessors have scored, needs moderation while a spread is unmoderated, then agrees the moderated total', () => {
		const criteria = (moderated: number | null, second: number[]) => [
			{ criterionId: 1, weight: 60, scores: [4, ...second], moderated: null },
			{ criterionId: 2, weight: 40, scores: [1, ...(second.length ? [5] : [])], moderated }
		];
		expect(assessmentOutcome(criteria(null, []), 2)).toMatchObject({ state: 'scoring', totalHundredths: null });
		expect(assessmentOutcome(criteria(null, [4]), 2)).toMatchObject({ state: 'needs_moderation', awaitingModeration: [2], totalHundredths: null });
		// 60 × 4/5 + 40 × 3/5 = 48 + 24
		expect(assessmentOutcome(criteria(3, [4]), 2)).toMatchObject({ state: 'agreed', awaitingModeration: [], totalHundredths: 7200 });
	});
});

describe('value per place and ranking', () => {
	it('works out capital per place and warns above the benchmark without refusing', () => {
		expect(valuePerPlace(68_346_000, 20)).toBe(3_417_300);
		expect(valuePerPlace(100, null)).toBeNull();
		expect(benchmarkNote(3_417_301, 3_417_300)).toBe('above');
		expect(benchmarkNote(3_417_300, 3_417_300)).toBe('within');
		expect(benchmarkNote(100, null)).toBeNull();
	});

	it('ranks agreed scores highest first, then better value per place, unscored last', () => {
		const ranked = [
			{ id: 1, totalHundredths: null, perPlacePence: 100 },
			{ id: 2, totalHundredths: 7000, perPlacePence: 3_000_000 },
			{ id: 3, totalHundredths: 7000, perPlacePence: 2_000_000 },
			{ id: 4, totalHundredths: 8000, perPlacePence: 9_000_000 }
		].sort(compareRanking);
		expect(ranked.map((r) => r.id)).toEqual([4, 3, 2, 1]);
	});
});

describe('decision rules', () => {
	it('refuses a recommendation either way without an agreed or moderated score', () => {
		expect(decisionProblem('recommend', 'scoring')).toMatch(/no agreed or moderated score/);
		expect(decisionProblem('not_recommend', null)).toMatch(/no agreed or moderated score/);
		expect(decisionProblem('recommend', 'needs_moderation')).toMatch(/moderator must record/);
		expect(decisionProblem('recommend', 'agreed')).toBeNull();
	});

	it('lets the boards’ decisions follow the recommendation without re-checking the score', () => {
		expect(decisionProblem('endorse_at_board', 'scoring')).toBeNull();
		expect(isDecisionMove('approve_in_principle')).toBe(true);
		expect(isDecisionMove('submit')).toBe(false);
	});
});
