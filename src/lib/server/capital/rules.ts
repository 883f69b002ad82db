import { formatPence } from '$lib/format';
import type { CapitalRoundStatus, Signatory } from '$lib/capital/model';
import { SIGNATORY_LABELS } from '$lib/capital/model';

// Pure rules for the capital programme's set-up: a line's unit assumptions (a hard cap refuses, a
// benchmark warns), criteria weights, frozen criteria and the round's life cycle. Every figure
// comes from the row it is given, never from here. No database, so each has unit tests.

/** A line's unit assumptions as the rules read them (pence; null where the line sets none). */
export interface LineAssumptions {
	name: string;
	maxPerBasePence: number | null;
	benchmarkPerPlacePence: number | null;
	standardBandPence: number | null;
	enhancedBandPence: number | null;
	enhancedSharePercent: number | null;
	placesMin: number | null;
	placesMax: number | null;
}

/** What a rule found: refusals stop the change; warnings are shown and let it go ahead. */
export interface Findings {
	refusals: string[];
	warnings: string[];
}

/** A base's cost and places against its line: the hard maximum refuses; value per place only warns. */
export function checkBase(line: LineAssumptions, base: { costPence: number; places: number }): Findings {
	const findings: Findings = { refusals: [], warnings: [] };
	if (line.maxPerBasePence !== null && base.costPence > line.maxPerBasePence) {
		findings.refusals.push(`${line.name} bases can receive at most ${formatPence(line.maxPerBasePence)} each`);
	}
	if (line.placesMin !== null && base.places < line.placesMin) {
		findings.refusals.push(`${line.name} bases have at least ${line.placesMin} places`);
	}
	if (line.placesMax !== null && base.places > line.placesMax) {
		findings.refusals.push(`${line.name} bases have at most ${line.placesMax} places`);
	}
	if (line.benchmarkPerPlacePence !== null && base.places > 0) {
		const perPlace = Math.round(base.costPence / base.places);
		if (perPlace > line.benchmarkPerPlacePence) {
			findings.warnings.push(
				`${formatPence(perPlace)} per place is above the benchmark of ${formatPence(line.benchmarkPerPlacePence)} per place`
			);
		}
	}
	return findings;
}

/** The portfolio's mix of enhanced bases against the line's planned share: above it warns. */
export function checkBandMix(line: LineAssumptions, counts: { standard: number; enhanced: number }): string | null {
	const total = counts.standard + counts.enhanced;
	if (line.enhancedSharePercent === null || total === 0) return null;
	const share = Math.round((counts.enhanced * 100) / total);
	if (share <= line.enhancedSharePercent) return null;
	return `${share}% of bases are enhanced, above the planned ${line.enhancedSharePercent}%`;
}

/** Problems with a line's own assumptions (a range the wrong way round), by field. */
export function lineAssumptionProblems(line: LineAssumptions): Record<string, string> {
	const problems: Record<string, string> = {};
	if (line.placesMin !== null && line.placesMax !== null && line.placesMin > line.placesMax) {
		problems.placesMax = 'Most places per base must be at least the fewest places';
	}
	if (line.standardBandPence !== null && line.enhancedBandPence !== null && line.enhancedBandPence < line.standardBandPence) {
		problems.enhancedBandPence = 'The enhanced band must be at least the standard band';
	}
	return problems;
}

/** A financial-year profile against the source's amount: a profile that does not add up warns. */
export function profileWarning(amountPence: number, profile: Record<string, number>): string | null {
	const values = Object.values(profile);
	if (values.length === 0) return null;
	const total = values.reduce((sum, value) => sum + value, 0);
	if (total === amountPence) return null;
	return `The financial-year profile adds up to ${formatPence(total)}, not ${formatPence(amountPence)}`;
}

export interface CriterionDraft {
	name: string;
	weight: number;
}

/** Criteria must be named once each and their weights must add up to 100. */
export function weightsProblem(criteria: readonly CriterionDraft[]): string | null {
	if (criteria.length === 0) return 'Add at least one criterion';
	const names = new Set<string>();
	for (const criterion of criteria) {
		const key = criterion.name.trim().toLowerCase();
		if (names.has(key)) return `“${criterion.name}” is listed twice. Give each criterion its own name`;
		names.add(key);
	}
	const total = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
	return total === 100 ? null : `The weights add up to ${total}. They must add up to 100`;
}

/** Why a round's criteria and lines may not change now, or null while it is a draft. */
export function frozenProblem(status: CapitalRoundStatus): string | null {
	if (status === 'draft') return null;
	return `The round has ${status === 'open' ? 'opened' : 'closed'}, so its criteria and lines are frozen: applicants write to what was published`;
}

export type RoundStep = 'open' | 'close';

/** draft → open → closed; anything else says why not. */
export function roundStep(from: CapitalRoundStatus, step: RoundStep): { ok: true; to: CapitalRoundStatus } | { ok: false; message: string } {
	if (step === 'open' && from === 'draft') return { ok: true, to: 'open' };
	if (step === 'close' && from === 'open') return { ok: true, to: 'closed' };
	if (step === 'open') return { ok: false, message: `The round is already ${from}` };
	return { ok: false, message: from === 'draft' ? 'The round has not opened yet' : 'The round is already closed' };
}

/** What a draft round needs before it opens. */
export function openingProblems(round: { closesOn: string; lineCount: number; criteria: readonly CriterionDraft[] }, today: string): string[] {
	const problems: string[] = [];
	if (round.lineCount === 0) problems.push('Choose at least one programme line for the round');
	const weights = weightsProblem(round.criteria);
	if (weights) problems.push(weights);
	if (round.closesOn <= today) problems.push('The closing date must be in the future');
	return problems;
}

/** "the headteacher and the governing body". */
export function signatoryWords(signatories: readonly Signatory[]): string {
	const words = signatories.map((s) => SIGNATORY_LABELS[s]);
	if (words.length <= 1) return words[0] ?? 'nobody yet';
	return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
