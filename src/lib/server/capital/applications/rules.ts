// Pure rules for an application: reading a section's answers as posted (a form or the API), the
// line's rules on places and money (a hard maximum refuses, the benchmark only warns), and who
// must still sign. No database, so each has unit tests.
import { parsePounds } from '$lib/bids/rules';
import { CAPACITY_LABELS, BODY_CAPACITIES, type FieldValue, type SectionAnswers, type SigningCapacity } from '$lib/capital/applications/model';
import { FIGURE_FIELDS, SECTION_SPECS, type ApplicationFigures, type ApplicationSection } from '$lib/capital/applications/document';
import type { CapitalProcess, Signatory } from '$lib/capital/model';
import { checkBase, type LineAssumptions } from '../rules';

const TEXT_MAX = 200;
const LONG_MAX = 5000;
const COUNT_MAX = 100_000;

export interface ParsedAnswers {
	answers: SectionAnswers;
	/** By field name, in words a headteacher acts on. */
	errors: Record<string, string>;
}

/**
 * A section's answers from what was posted: a form sends strings (and a list for ticks), the API
 * numbers and booleans too. Unknown fields are dropped; a blank answer is kept as "not answered",
 * so a section can be saved half done over several sittings and completed later.
 */
export function parseAnswers(section: ApplicationSection, raw: Record<string, unknown>): ParsedAnswers {
	const answers: SectionAnswers = {};
	const errors: Record<string, string> = {};
	for (const field of SECTION_SPECS[section].fields) {
		const value = Object.hasOwn(raw, field.name) ? raw[field.name] : undefined;
		const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
		const blank = value === undefined || value === null || text === '' && !Array.isArray(value) && typeof value !== 'boolean';
		const label = field.label.replace(/\?$/, '');
		let parsed: FieldValue = null;
		switch (field.kind) {
			case 'text':
			case 'long': {
				const max = field.kind === 'text' ? TEXT_MAX : LONG_MAX;
				if (typeof value !== 'string' && !blank) errors[field.name] = `${label} must be words`;
				else if (text.length > max) errors[field.name] = `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;
				else parsed = text;
				break;
			}
			case 'count': {
				if (blank) break;
				if (!/^\d{1,9}$/.test(text) || Number(text) > COUNT_MAX) errors[field.name] = `${label} must be a whole number, like 8`;
				else parsed = Number(text);
				break;
			}
			case 'money': {
				if (blank) break;
				if (typeof value === 'number') {
					if (Number.isSafeInteger(value) && value >= 0) parsed = value;
					else errors[field.name] = `${label} must be whole pence, £0 or more`;
					break;
				}
				const pounds = parsePounds(text, label);
				if (pounds.ok) parsed = pounds.pence;
				else errors[field.name] = pounds.message;
				break;
			}
			case 'choice': {
				if (blank) break;
				if (field.options && Object.hasOwn(field.options, text)) parsed = text;
				else errors[field.name] = `Choose ${label.toLowerCase()} from the list`;
				break;
			}
			case 'checks': {
				const chosen = Array.isArray(value) ? value : blank ? [] : [value];
				if (chosen.some((c) => typeof c !== 'string' || !field.options || !Object.hasOwn(field.options, c))) {
					errors[field.name] = `Choose ${label.toLowerCase()} from the list`;
				} else parsed = [...new Set(chosen.filter((c) => typeof c === 'string'))];
				break;
			}
			case 'confirm':
				parsed = value === true || value === 'yes' || value === 'true';
				break;
		}
		if (!(field.name in errors)) answers[field.name] = parsed;
	}
	return { answers, errors };
}

/** A line's rules for places and money, by field: refusals stop a save or a submission, warnings are shown. */
export interface LineFindings {
	refusals: Record<string, string>;
	warnings: string[];
}

/**
 * Places within the line's range and the request within its hard maximum (an early years base's
 * £10,000) refuse; value per place above the benchmark only warns. Nothing is checked until both
 * figures it needs are given, so a half-written section can still be saved.
 */
export function lineFindings(process: CapitalProcess, line: LineAssumptions, figures: Pick<ApplicationFigures, 'places' | 'requestedPence'>): LineFindings {
	const findings: LineFindings = { refusals: {}, warnings: [] };
	const where = FIGURE_FIELDS[process];
	const places = figures.places;
	const cost = figures.requestedPence;
	const found = checkBase(
		{ ...line, benchmarkPerPlacePence: places !== null && cost !== null ? line.benchmarkPerPlacePence : null },
		{ costPence: cost ?? 0, places: places ?? Number.NaN }
	);
	for (const refusal of found.refusals) {
		const aboutPlaces = / places$/.test(refusal);
		if (aboutPlaces && places === null) continue;
		const field = aboutPlaces ? where.places : where.money;
		if (field) findings.refusals[`${field[0]}.${field[1]}`] = refusal;
	}
	findings.warnings.push(...found.warnings);
	return findings;
}

/** A setting an application covers, as signing reads it. */
export interface SignerSetting {
	id: number;
	name: string;
	signatories: readonly Signatory[];
	landownerConsent: boolean;
}

export interface SignatureNeeded {
	settingId: number;
	capacity: SigningCapacity;
	/** "Banbury Meadowside Primary School: the governing body" */
	words: string;
	/** Whether a person signs in it themselves, or the headteacher records a body's or landowner's sign-off. */
	recorded: boolean;
}

/** Every signature the covered settings' types ask for (and a landowner's consent where needed). */
export function signaturesNeeded(settings: readonly SignerSetting[]): SignatureNeeded[] {
	return settings.flatMap((setting) => {
		const capacities: SigningCapacity[] = [...setting.signatories, ...(setting.landownerConsent ? (['landowner'] as const) : [])];
		return capacities.map((capacity) => ({
			settingId: setting.id,
			capacity,
			words: `${setting.name}: ${CAPACITY_LABELS[capacity]}`,
			recorded: BODY_CAPACITIES.includes(capacity)
		}));
	});
}

/** The signatures still missing for this version of the application. */
export function signaturesMissing(
	settings: readonly SignerSetting[],
	signed: readonly { settingId: number; capacity: SigningCapacity }[]
): SignatureNeeded[] {
	return signaturesNeeded(settings).filter((needed) => !signed.some((s) => s.settingId === needed.settingId && s.capacity === needed.capacity));
}

/** A school chosen for a trust's multi-school application, as the command read it under lock. */
export interface ChosenTrustSchool {
	id: number;
	name: string;
	trustId: number | null;
	settingType: string;
}

/**
 * Why a trust cannot apply for these schools to this line, one sentence per school; empty when it
 * can. Each school must be one of the trust's, of a kind the line takes, and without an
 * application already open for the line (`existing`, by school).
 */
export function trustApplicationProblems(
	trust: { id: number; name: string },
	line: { name: string; eligibleSettingTypes: readonly string[] },
	schools: readonly ChosenTrustSchool[],
	existing: readonly { settingId: number; reference: string }[]
): string[] {
	const problems: string[] = [];
	for (const school of schools) {
		const open = existing.find((e) => e.settingId === school.id);
		if (school.trustId !== trust.id) problems.push(`${school.name} is not one of ${trust.name}’s schools.`);
		else if (!line.eligibleSettingTypes.includes(school.settingType)) problems.push(`${school.name} is a kind of setting (${school.settingType}) that cannot apply to ${line.name}.`);
		else if (open) problems.push(`${school.name} already has an application to ${line.name} (${open.reference}).`);
	}
	return problems;
}
