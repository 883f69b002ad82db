// An inclusion-base application's content as both ends see it, and the district need figures
// applicants are shown. Plain types and constants (no zod, no server code), so pages import them.
import { SIGNATORY_LABELS, type Signatory } from '$lib/capital/model';

/** One answer: words, a whole number (places, pence), a choice, several choices, or a tick. */
export type FieldValue = string | number | boolean | string[] | null;
/** A section's answers, by field name. */
export type SectionAnswers = Record<string, FieldValue>;
/** The application's content in `capital_application.content`: answers by section. */
export type ApplicationContent = Record<string, SectionAnswers>;

/** Pupils with an EHC plan by primary need in a district: counts, never children. */
export type NeedMix = Record<string, number>;

/** The primary-need categories of the school census, as the council reports them. */
export const PRIMARY_NEEDS = {
	asd: 'Autistic spectrum disorder',
	semh: 'Social, emotional and mental health',
	slcn: 'Speech, language and communication needs',
	mld: 'Moderate learning difficulty',
	sld: 'Severe learning difficulty',
	pmld: 'Profound and multiple learning difficulty',
	spld: 'Specific learning difficulty',
	sensory: 'Hearing, visual or multi-sensory impairment',
	pd: 'Physical disability',
	other: 'Other difficulty or disability'
} as const;
export type PrimaryNeed = keyof typeof PRIMARY_NEEDS;

/** The district's need figures as an applicant reads them. */
export interface DistrictNeed {
	districtId: number;
	districtName: string;
	forecastDemand: number;
	plannedPlaces: number;
	outOfArea: number;
	independent: number;
	needMix: NeedMix;
	asOf: string | null;
	version: number;
}

/** Evidence files: what may be uploaded, and how big. */
export const FILE_MAX_BYTES = 10 * 1024 * 1024;
export const FILE_TYPES = {
	'application/pdf': 'PDF',
	'image/png': 'PNG image',
	'image/jpeg': 'JPEG image',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document'
} as const;
export type EvidenceType = keyof typeof FILE_TYPES;

/** Who signs an application off: the setting type's signatories, and a landowner's consent where the type needs it. */
export type SigningCapacity = Signatory | 'landowner';
export const CAPACITY_LABELS: Record<SigningCapacity, string> = { ...SIGNATORY_LABELS, landowner: 'the landowner or diocese' };
/** Capacities a person signs in themselves; the others (a body, a landowner) are recorded by the headteacher with who signed for it. */
export const BODY_CAPACITIES: readonly SigningCapacity[] = ['governing_body', 'trust', 'landowner'];
