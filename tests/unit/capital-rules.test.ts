import { describe, expect, it } from 'vitest';
import { checkBandMix, checkBase, frozenProblem, lineAssumptionProblems, openingProblems, profileWarning, roundStep, signatoryWords, weightsProblem, type LineAssumptions } from '../../src/lib/server/capital/rules';

// The capital programme's pure rules: every figure comes from the line given, none from code.

const NONE: LineAssumptions = { name: 'Line', maxPerBasePence: null, benchmarkPerPlacePence: null, standardBandPence: null, enhancedBandPence: null, enhancedSharePercent: null, placesMin: null, placesMax: null };
const EARLY_YEARS: LineAssumptions = { ...NONE, name: 'Early years support base', maxPerBasePence: 10_000_00, placesMin: 6, placesMax: 6 };
const SPECIALIST: LineAssumptions = { ...NONE, name: 'Specialist resource base', benchmarkPerPlacePence: 34_173_00, placesMin: 16, placesMax: 40 };
const ROLLOUT: LineAssumptions = { ...NONE, name: 'Secondary base', standardBandPence: 75_000_00, enhancedBandPence: 125_000_00, enhancedSharePercent: 20 };

describe('a line’s unit assumptions', () => {
	it('refuses a base above the line’s hard maximum, and allows one at it', () => {
		expect(checkBase(EARLY_YEARS, { costPence: 10_000_01, places: 6 }).refusals).toEqual(['Early years support base bases can receive at most £10,000 each']);
		expect(checkBase(EARLY_YEARS, { costPence: 10_000_00, places: 6 })).toEqual({ refusals: [], warnings: [] });
	});

	it('only warns when the value per place is above the benchmark', () => {
		const over = checkBase(SPECIALIST, { costPence: 16 * 40_000_00, places: 16 });
		expect(over.refusals).toEqual([]);
		expect(over.warnings).toEqual(['£40,000 per place is above the benchmark of £34,173 per place']);
		expect(checkBase(SPECIALIST, { costPence: 16 * 34_173_00, places: 16 }).warnings).toEqual([]);
	});

	it('refuses places outside the line’s range', () => {
		expect(checkBase(SPECIALIST, { costPence: 1, places: 15 }).refusals).toEqual(['Specialist resource base bases have at least 16 places']);
		expect(checkBase(SPECIALIST, { costPence: 1, places: 41 }).refusals).toEqual(['Specialist resource base bases have at most 40 places']);
	});

	it('a line without assumptions refuses and warns about nothing', () => {
		expect(checkBase(NONE, { costPence: 99_000_000_00, places: 1 })).toEqual({ refusals: [], warnings: [] });
	});

	it('warns when the portfolio has more enhanced bases than the line plans, never refuses', () => {
		expect(checkBandMix(ROLLOUT, { standard: 8, enhanced: 2 })).toBeNull();
		expect(checkBandMix(ROLLOUT, { standard: 7, enhanced: 3 })).toBe('30% of bases are enhanced, above the planned 20%');
		expect(checkBandMix(NONE, { standard: 0, enhanced: 5 })).toBeNull();
	});

	it('a range the wrong way round is a problem beside its field', () => {
		expect(lineAssumptionProblems({ ...NONE, placesMin: 40, placesMax: 16 })).toEqual({ placesMax: 'Most places per base must be at least the fewest places' });
		expect(lineAssumptionProblems({ ...NONE, standardBandPence: 2, enhancedBandPence: 1 })).toEqual({ enhancedBandPence: 'The enhanced band must be at least the standard band' });
		expect(lineAssumptionProblems(SPECIALIST)).toEqual({});
	});

	it('a profile that does not add up to the source warns', () => {
		expect(profileWarning(100, { 2026: 60, 2027: 40 })).toBeNull();
		expect(profileWarning(100, {})).toBeNull();
		expect(profileWarning(100_00, { 2026: 50_00 })).toBe('The financial-year profile adds up to £50, not £100');
	});
});

describe('criteria and rounds', () => {
	it('weights must add up to 100', () => {
		expect(weightsProblem([{ name: 'Need', weight: 60 }, { name: 'Space', weight: 40 }])).toBeNull();
		expect(weightsProblem([{ name: 'Need', weight: 60 }, { name: 'Space', weight: 30 }])).toBe('The weights add up to 90. They must add up to 100');
		expect(weightsProblem([])).toBe('Add at least one criterion');
	});

	it('a criterion is named once', () => {
		expect(weightsProblem([{ name: 'Need', weight: 50 }, { name: 'need ', weight: 50 }])).toMatch(/listed twice/);
	});

	it('criteria are frozen once the round opens', () => {
		expect(frozenProblem('draft')).toBeNull();
		expect(frozenProblem('open')).toMatch(/opened, so its criteria and lines are frozen/);
		expect(frozenProblem('closed')).toMatch(/closed, so its criteria and lines are frozen/);
	});

	it('a round goes draft → open → closed, and no other way', () => {
		expect(roundStep('draft', 'open')).toEqual({ ok: true, to: 'open' });
		expect(roundStep('open', 'close')).toEqual({ ok: true, to: 'closed' });
		expect(roundStep('open', 'open')).toEqual({ ok: false, message: 'The round is already open' });
		expect(roundStep('draft', 'close')).toEqual({ ok: false, message: 'The round has not opened yet' });
		expect(roundStep('closed', 'close')).toEqual({ ok: false, message: 'The round is already closed' });
		expect(roundStep('closed', 'open')).toEqual({ ok: false, message: 'The round is already closed' });
	});

	it('a round opens only with lines, criteria weighing 100 and a closing date ahead', () => {
		const criteria = [{ name: 'Need', weight: 100 }];
		expect(openingProblems({ closesOn: '2027-01-01', lineCount: 1, criteria }, '2026-12-01')).toEqual([]);
		expect(openingProblems({ closesOn: '2026-12-01', lineCount: 0, criteria: [] }, '2026-12-01')).toEqual([
			'Choose at least one programme line for the round',
			'Add at least one criterion',
			'The closing date must be in the future'
		]);
	});
});

describe('signatories', () => {
	it('says who signs in words', () => {
		expect(signatoryWords(['headteacher', 'governing_body'])).toBe('the headteacher and the governing body');
		expect(signatoryWords(['trust'])).toBe('the trust');
	});
});
