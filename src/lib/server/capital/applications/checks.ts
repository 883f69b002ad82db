import { checklist, isSectionOf, type MissingItem } from '$lib/document';
import { applicationDocument, applicationFigures } from '$lib/capital/applications/document';
import type { ApplicationContent, SigningCapacity } from '$lib/capital/applications/model';
import type { CapitalProcess } from '$lib/capital/model';
import type { LineAssumptions } from '../rules';
import { lineFindings, signaturesMissing, type SignerSetting } from './rules';

// What an application still needs before it can be submitted: the sections' own answers (the
// kit's checklist), the line's rules on places and money, and every signature its settings'
// types ask for on this version. One function, so the task list, check-your-answers and the
// submission refuse on the same list.

export const applicationBase = (id: number) => `/capital/applications/${id}`;

/** A line row's unit assumptions as the line rules read them. */
export function assumptionsOf(line: {
	name: string;
	max_per_base_pence: number | null;
	benchmark_per_place_pence: number | null;
	standard_band_pence: number | null;
	enhanced_band_pence: number | null;
	enhanced_share_percent: number | null;
	places_min: number | null;
	places_max: number | null;
}): LineAssumptions {
	return {
		name: line.name,
		maxPerBasePence: line.max_per_base_pence,
		benchmarkPerPlacePence: line.benchmark_per_place_pence,
		standardBandPence: line.standard_band_pence,
		enhancedBandPence: line.enhanced_band_pence,
		enhancedSharePercent: line.enhanced_share_percent,
		placesMin: line.places_min,
		placesMax: line.places_max
	};
}

export interface SubmissionFacts {
	process: CapitalProcess;
	line: LineAssumptions;
	settings: readonly SignerSetting[];
	signed: readonly { settingId: number; capacity: SigningCapacity }[];
}

/** Everything missing, by section (signatures under `signatures`, linking to the overview's panel). */
export function applicationMissing(id: number, content: ApplicationContent, facts: SubmissionFacts): MissingItem[] {
	const base = applicationBase(id);
	const document = applicationDocument(facts.process);
	const missing: MissingItem[] = checklist(document, content, base);
	const findings = lineFindings(facts.process, facts.line, applicationFigures(facts.process, content));
	for (const [key, message] of Object.entries(findings.refusals)) {
		const section = key.split('.')[0];
		if (isSectionOf(document, section)) {
			missing.push({ section, label: document.sections[section].label, message, href: `${base}/sections/${section}` });
		}
	}
	for (const needed of signaturesMissing(facts.settings, facts.signed)) {
		missing.push({ section: 'signatures', label: 'Sign-off', message: `Sign-off needed from ${needed.words}`, href: `${base}#signatures` });
	}
	return missing;
}

/** Warnings that do not stop a submission (value per place against the benchmark). */
export function applicationWarnings(content: ApplicationContent, facts: Pick<SubmissionFacts, 'process' | 'line'>): string[] {
	return lineFindings(facts.process, facts.line, applicationFigures(facts.process, content)).warnings;
}
