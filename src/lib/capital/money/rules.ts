// Money by source, as pure rules: what a commitment, a plan, a transfer, a spend or an occupancy
// figure may be, given the sums the command read under its locks. No database here: the command
// locks the source and then the line (always in that order), reads the sums, asks these rules,
// and refuses with their words field by field. Amounts are whole pence.
import { formatPence } from '$lib/format';
import { financialYearLabel, type SourceStatus, type YearFigures } from '$lib/capital/model';
import { PIPELINE_PHASE, STAGE_LABELS, type ApplicationStage } from '$lib/capital/flow';
import type { CommitmentKind } from './model';

export interface SourceForCommitment {
	name: string;
	status: SourceStatus;
	profile: YearFigures;
	/** Whether the application's line is among the lines this source may fund. */
	fundsLine: boolean;
	/** Already committed against this source in the year asked for. */
	committedInYear: number;
}

export interface LineForCommitment {
	name: string;
	allocationPence: number | null;
	/** Already committed against this line, from every source and year. */
	committed: number;
}

export interface ApplicationForCommitment {
	stage: ApplicationStage;
	requestedPence: number | null;
	/** Already committed to this application. */
	committed: number;
}

export interface CommitmentAsked {
	kind: CommitmentKind;
	year: number;
	amountPence: number;
}

/** What a source has left to commit in a year: its profile for the year less what is committed. */
export function sourceYearHeadroom(profile: YearFigures, year: number, committedInYear: number): number {
	return (profile[String(year)] ?? 0) - committedInYear;
}

/** What a line has left to commit: its allocation less what is committed (none without an allocation). */
export function lineHeadroom(allocationPence: number | null, committed: number): number {
	return (allocationPence ?? 0) - committed;
}

/** Adds up amounts in pence; they are whole numbers, so the sum is exact well past any programme's size. */
export function sumPence(amounts: Iterable<number>): number {
	let total = 0;
	for (const amount of amounts) total += amount;
	return total;
}

/**
 * Why a commitment (or plan) cannot be made, field by field; empty when it can. A plan records an
 * intention against any source that may fund the line, including an assumed tranche, and holds no
 * money; a commitment needs an approved application, a confirmed source, and room in the source's
 * year, the line's allocation and what the application asked for.
 */
export function commitmentProblems(asked: CommitmentAsked, source: SourceForCommitment, line: LineForCommitment, application: ApplicationForCommitment): Record<string, string> {
	const problems: Record<string, string> = {};
	const phase = PIPELINE_PHASE[application.stage];
	const stageWords = STAGE_LABELS[application.stage].toLowerCase();
	if (asked.kind === 'committed' && phase !== 'approved' && phase !== 'in_delivery') {
		problems.kind = `Money can be committed only once the application is approved and until it opens; it is “${stageWords}”. You can record a plan instead.`;
	} else if (asked.kind === 'planned' && phase === 'ended') {
		problems.kind = `The application is “${stageWords}”: there is nothing to plan for.`;
	}
	if (!source.fundsLine) {
		problems.sourceId = `${source.name} may not fund the line ${line.name}. Choose a source that funds it, or change the source’s lines first.`;
	} else if (asked.kind === 'committed' && source.status !== 'confirmed') {
		problems.sourceId = `${source.name} is assumed, not confirmed: you can plan against it, but commit only against confirmed funding.`;
	}
	if (asked.kind === 'committed' && !problems.sourceId) {
		const inYear = source.profile[String(asked.year)];
		const headroom = sourceYearHeadroom(source.profile, asked.year, source.committedInYear);
		if (inYear === undefined) {
			problems.year = `${source.name} has no money profiled for ${financialYearLabel(asked.year)}. Choose a year in its profile.`;
		} else if (asked.amountPence > headroom) {
			problems.amountPence = `${source.name} has ${formatPence(Math.max(0, headroom))} left to commit in ${financialYearLabel(asked.year)}; ${formatPence(asked.amountPence)} would over-commit it.`;
		}
	}
	if (asked.kind === 'committed' && !problems.amountPence) {
		if (line.allocationPence === null) {
			problems.amountPence = `The line ${line.name} has no allocation set, so nothing can be committed against it yet.`;
		} else if (asked.amountPence > lineHeadroom(line.allocationPence, line.committed)) {
			problems.amountPence = `The line ${line.name} has ${formatPence(Math.max(0, lineHeadroom(line.allocationPence, line.committed)))} of its allocation left; ${formatPence(asked.amountPence)} would go past it.`;
		} else if (application.requestedPence !== null && application.committed + asked.amountPence > application.requestedPence) {
			problems.amountPence = `The application asked for ${formatPence(application.requestedPence)} and has ${formatPence(application.committed)} committed; ${formatPence(asked.amountPence)} more would go past what it asked for.`;
		}
	}
	return problems;
}

/** Why a line's allocation cannot lose `amountPence` (moving it elsewhere); null when it can. */
export function transferProblem(from: { name: string; allocationPence: number | null; committed: number }, amountPence: number): string | null {
	const spare = lineHeadroom(from.allocationPence, from.committed);
	if (amountPence > spare) {
		return `${from.name} has ${formatPence(Math.max(0, spare))} not yet committed; ${formatPence(amountPence)} cannot be moved out of it.`;
	}
	return null;
}

/** Why an occupancy figure cannot be recorded; null when it can. Places are counted only once a base is open. */
export function occupancyProblem(stage: ApplicationStage, places: number | null, occupied: number): string | null {
	if (stage !== 'open') return `Occupied places are recorded once the base is open; it is “${STAGE_LABELS[stage].toLowerCase()}”.`;
	if (places !== null && occupied > places) return `The base has ${places} places; ${occupied} cannot be occupied.`;
	return null;
}

/** Why a spend cannot be recorded; null when it can. Spend follows a commitment and never passes it. */
export function spendProblem(stage: ApplicationStage, committed: number, spent: number, amountPence: number): string | null {
	const phase = PIPELINE_PHASE[stage];
	if (phase !== 'approved' && phase !== 'in_delivery' && phase !== 'open') {
		return `Spending is recorded against an approved application; it is “${STAGE_LABELS[stage].toLowerCase()}”.`;
	}
	if (spent + amountPence > committed) {
		return `${formatPence(committed)} is committed to this application and ${formatPence(spent)} is already spent; ${formatPence(amountPence)} more would pass what is committed.`;
	}
	return null;
}

/**
 * Why a line's allocation cannot be set to `allocationPence`; null when it can. An allocation never
 * drops below what approvals have already committed against the line (clearing it counts as £0).
 */
export function allocationCutProblem(lineName: string, allocationPence: number | null, committed: number): string | null {
	if (committed <= 0 || (allocationPence ?? 0) >= committed) return null;
	return `${formatPence(committed)} is already committed against ${lineName}, so its allocation cannot be ${allocationPence === null ? 'cleared' : `set to ${formatPence(allocationPence)}`}. Set it to ${formatPence(committed)} or more.`;
}

/** What is committed against a funding source: in all, by financial year, and by the line it funds. */
export interface SourceCommitted {
	total: number;
	byYear: Record<string, number>;
	byLine: readonly { lineId: number; lineName: string; pence: number }[];
}

/**
 * Why a funding source cannot be changed to `after`, field by field; empty when it can. Whatever
 * approvals have committed against it stays covered: its amount, each financial year's profile,
 * its confirmed status and the lines it funds.
 */
export function sourceCutProblems(
	sourceName: string,
	after: { amountPence: number; status: SourceStatus; profile: YearFigures; lineIds: readonly number[] },
	committed: SourceCommitted
): Record<string, string> {
	const problems: Record<string, string> = {};
	if (after.amountPence < committed.total) {
		problems.amountPence = `${formatPence(committed.total)} is already committed from ${sourceName}, so its amount cannot be ${formatPence(after.amountPence)}. Set it to ${formatPence(committed.total)} or more.`;
	}
	if (committed.total > 0 && after.status !== 'confirmed') {
		problems.status = `${formatPence(committed.total)} is already committed from ${sourceName}, so it cannot go back to assumed.`;
	}
	const short = Object.entries(committed.byYear)
		.filter(([year, pence]) => pence > 0 && (after.profile[year] ?? 0) < pence)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([year, pence]) => `${formatPence(pence)} in ${financialYearLabel(year)}`);
	if (short.length > 0) {
		problems.profile = `The profile cannot go below what is already committed from ${sourceName}: ${short.join(', ')}.`;
	}
	const dropped = committed.byLine.filter((line) => line.pence > 0 && !after.lineIds.includes(line.lineId));
	if (dropped.length > 0) {
		problems.lineIds = `${sourceName} has money committed to ${dropped.map((line) => `${line.lineName} (${formatPence(line.pence)})`).join(', ')}, so it must still fund ${dropped.length === 1 ? 'that line' : 'those lines'}.`;
	}
	return problems;
}
