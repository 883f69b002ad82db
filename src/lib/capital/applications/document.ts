// An inclusion-base application as a collaborative document (the kit in `$lib/document`). Its
// sections depend on the line's process: a specialist scheme is a full costed case, an early years
// grant a single short page, a secondary rollout a readiness and phasing assessment. Each section
// is declared once as its fields, and the kit's task list, check-your-answers rows and "what is
// missing" all come from that declaration, as do the section pages' forms and the server's parsing.
import { defineDocument, type DocumentDefinition } from '$lib/document';
import { formatPence } from '$lib/format';
import { NEED_AREAS } from '$lib/bids/model';
import type { CapitalProcess } from '$lib/capital/model';
import type { ApplicationContent, FieldValue, SectionAnswers } from './model';

/** How a field is asked and stored: words, a count, money (pence), one choice, several, or a tick. */
export type FieldKind = 'text' | 'long' | 'count' | 'money' | 'choice' | 'checks' | 'confirm';

export interface ApplicationField {
	name: string;
	label: string;
	hint?: string;
	kind: FieldKind;
	options?: Record<string, string>;
	/** Answered or not, the section can be complete. */
	optional?: boolean;
}

export interface ApplicationSectionSpec {
	label: string;
	/** A sentence under the heading saying what the section is for. */
	intro?: string;
	fields: ApplicationField[];
}

const TERMS = { autumn: 'Autumn term', spring: 'Spring term', summer: 'Summer term' };
const CONSENTS = {
	planning: 'Planning permission',
	building_regulations: 'Building regulations approval',
	landowner: 'The landowner’s or diocese’s consent',
	none: 'None of these'
};
const REVENUE = {
	place_funding: 'High-needs place funding',
	top_up: 'Top-up funding',
	pooled_bid: 'A cluster pooled-funding bid',
	school_budget: 'The setting’s own budget'
};

const confirm = (name: string, label: string): ApplicationField => ({ name, label, kind: 'confirm' });

export const APPLICATION_SECTIONS = {
	base: {
		label: 'The base and its places',
		intro: 'Who the base is for: how many places, which ages and which areas of need.',
		fields: [
			{ name: 'places', label: 'How many places will the base have?', kind: 'count' },
			{ name: 'ageFrom', label: 'Youngest age', kind: 'count' },
			{ name: 'ageTo', label: 'Oldest age', kind: 'count' },
			{ name: 'needs', label: 'Areas of need the base will meet', kind: 'checks', options: NEED_AREAS },
			{ name: 'description', label: 'What the base will offer', kind: 'long' }
		]
	},
	space: {
		label: 'The space',
		intro: 'Space released by falling rolls comes before any new build.',
		fields: [
			{ name: 'rooms', label: 'Which rooms the base will use', kind: 'long' },
			{ name: 'surplusSpace', label: 'Surplus space from falling rolls', hint: 'Say if there is none.', kind: 'long' },
			{ name: 'adaptations', label: 'Adaptations needed', kind: 'long' },
			{ name: 'sensoryTherapy', label: 'Sensory and therapy space', kind: 'long' },
			{ name: 'accessibility', label: 'Accessibility', kind: 'long' },
			{ name: 'consents', label: 'Consents the works need', kind: 'checks', options: CONSENTS }
		]
	},
	delivery: {
		label: 'Delivery route',
		fields: [
			{ name: 'route', label: 'Who will deliver the works?', kind: 'choice', options: { trust: 'The trust (trust-led)', council: 'The council (council-led)' } },
			{ name: 'notes', label: 'Anything the route depends on', kind: 'long', optional: true }
		]
	},
	capital: {
		label: 'Capital requested',
		intro: 'How the capital asked for is made up. The total is what is requested.',
		fields: [
			{ name: 'worksPence', label: 'Building works', kind: 'money' },
			{ name: 'equipmentPence', label: 'Furniture and equipment', kind: 'money' },
			{ name: 'feesPence', label: 'Professional fees', kind: 'money' },
			{ name: 'contingencyPence', label: 'Contingency', kind: 'money' },
			{ name: 'notes', label: 'How the costs were worked out', kind: 'long' }
		]
	},
	revenue: {
		label: 'Revenue and staffing',
		fields: [
			{ name: 'sources', label: 'What will pay to run the base', kind: 'checks', options: REVENUE },
			{ name: 'staffing', label: 'Staffing', kind: 'long' }
		]
	},
	opening: {
		label: 'Opening term',
		fields: [
			{ name: 'term', label: 'Term the base opens', kind: 'choice', options: TERMS },
			{ name: 'year', label: 'Year it opens', hint: 'For example, 2027', kind: 'count' }
		]
	},
	outreach: {
		label: 'Outreach',
		fields: [{ name: 'outreach', label: 'How the base will support other settings in the cluster', kind: 'long' }]
	},
	involvement: {
		label: 'Parents and the PCF',
		fields: [
			{ name: 'parents', label: 'How parents were involved', kind: 'long' },
			{ name: 'pcf', label: 'How the Parent Carer Forum was involved', kind: 'long' }
		]
	},
	declarations: {
		label: 'Declarations',
		fields: [
			confirm('accurate', 'The information in this application is accurate'),
			confirm('clawback', 'We understand the capital is clawed back if the base closes or changes use'),
			confirm('dataProtection', 'No child can be identified from this application or its files')
		]
	},
	grant: {
		label: 'Your early years base',
		intro: 'A short application for an early years support base grant.',
		fields: [
			{ name: 'places', label: 'How many places will the base have?', kind: 'count' },
			{ name: 'ageRange', label: 'Ages of the children', hint: 'For example, 2 to 4', kind: 'text' },
			{ name: 'spendOn', label: 'What the grant will buy', kind: 'long' },
			{ name: 'requestedPence', label: 'Grant requested', kind: 'money' },
			{ name: 'term', label: 'Term the base opens', kind: 'choice', options: TERMS },
			{ name: 'year', label: 'Year it opens', kind: 'count' },
			confirm('accurate', 'The information in this application is accurate')
		]
	},
	readiness: {
		label: 'Readiness and phasing',
		intro: 'Every secondary will host a base. This sets when, and which band.',
		fields: [
			{ name: 'readiness', label: 'How ready the school is: space, staff and leadership', kind: 'long' },
			{ name: 'space', label: 'The space the base will use', kind: 'long' },
			{ name: 'band', label: 'Band asked for', kind: 'choice', options: { standard: 'Standard', enhanced: 'Enhanced' } },
			{ name: 'bandReason', label: 'Why this band', kind: 'long' },
			{ name: 'year', label: 'Year the school could open the base', kind: 'count' },
			{ name: 'phasing', label: 'Phasing', hint: 'What happens in which term', kind: 'long' }
		]
	}
} satisfies Record<string, ApplicationSectionSpec>;

export type ApplicationSection = keyof typeof APPLICATION_SECTIONS;
export const SECTION_SPECS: Record<ApplicationSection, ApplicationSectionSpec> = APPLICATION_SECTIONS;

/** Which sections an application has, by its line's process, in the order people work through them. */
export const PROCESS_SECTIONS: Record<CapitalProcess, readonly ApplicationSection[]> = {
	scheme: ['base', 'space', 'delivery', 'capital', 'revenue', 'opening', 'outreach', 'involvement', 'declarations'],
	grant: ['grant'],
	rollout: ['readiness', 'declarations']
};

export function isApplicationSection(value: string): value is ApplicationSection {
	return Object.hasOwn(APPLICATION_SECTIONS, value);
}

export function answered(field: ApplicationField, value: FieldValue | undefined): boolean {
	if (value === undefined || value === null) return false;
	if (field.kind === 'confirm') return value === true;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === 'string') return value.trim() !== '';
	return true;
}

/** An answer as words: what check-your-answers and "what changed" show. */
export function answerWords(field: ApplicationField, value: FieldValue | undefined): string {
	if (!answered(field, value)) return field.kind === 'confirm' ? 'Not confirmed' : 'Not answered';
	const option = (key: string) => (field.options && Object.hasOwn(field.options, key) ? field.options[key] : key);
	switch (field.kind) {
		case 'money':
			return formatPence(Number(value));
		case 'confirm':
			return 'Confirmed';
		case 'checks':
			return (Array.isArray(value) ? value : []).map(option).join(', ');
		case 'choice':
			return option(String(value));
		default:
			return String(value);
	}
}

const sectionOf = (content: ApplicationContent, section: string): SectionAnswers =>
	Object.hasOwn(content, section) && content[section] && typeof content[section] === 'object' ? content[section] : {};

/** A section's total of its money fields (the capital requested, made up of its parts). */
export function moneyTotal(section: ApplicationSection, answers: SectionAnswers): number {
	return SECTION_SPECS[section].fields.filter((f) => f.kind === 'money').reduce((sum, f) => sum + (Number(answers[f.name]) || 0), 0);
}

function definitionFor(process: CapitalProcess): DocumentDefinition<ApplicationContent, ApplicationSection> {
	const order = PROCESS_SECTIONS[process];
	// Kept cast: Object.fromEntries types its keys as plain strings; the entries are exactly this
	// process's sections, which is all `order` and `isSectionOf` ever reach.
	const sections = Object.fromEntries(
		order.map((id) => {
			const spec = SECTION_SPECS[id];
			return [
				id,
				{
					label: spec.label,
					summary: (content: ApplicationContent) => {
						const answers = sectionOf(content, id);
						const lines = spec.fields.map((f) => `${f.label}: ${answerWords(f, answers[f.name])}`);
						if (id === 'capital') lines.push(`Total requested: ${formatPence(moneyTotal(id, answers))}`);
						return lines;
					},
					started: (content: ApplicationContent) => spec.fields.some((f) => answered(f, sectionOf(content, id)[f.name])),
					required: (content: ApplicationContent) => {
						const answers = sectionOf(content, id);
						return spec.fields
							.filter((f) => !f.optional && !answered(f, answers[f.name]))
							.map((f) => (f.kind === 'confirm' ? `Confirm: ${f.label.toLowerCase()}` : `Answer “${f.label}”`));
					}
				}
			];
		})
	) as DocumentDefinition<ApplicationContent, ApplicationSection>['sections'];
	return defineDocument({ noun: 'application', sections, order });
}

const DOCUMENTS: Record<CapitalProcess, DocumentDefinition<ApplicationContent, ApplicationSection>> = {
	scheme: definitionFor('scheme'),
	grant: definitionFor('grant'),
	rollout: definitionFor('rollout')
};

/** The application's document for its line's process. */
export const applicationDocument = (process: CapitalProcess) => DOCUMENTS[process];

/** The figures the pipeline counts, read from the content (kept as columns so the dashboard sums them). */
export interface ApplicationFigures {
	places: number | null;
	requestedPence: number | null;
	openingYear: number | null;
	deliveryRoute: 'trust' | 'council' | null;
	band: 'standard' | 'enhanced' | null;
}

const countOf = (value: FieldValue | undefined) => (typeof value === 'number' && Number.isInteger(value) ? value : null);

export function applicationFigures(process: CapitalProcess, content: ApplicationContent): ApplicationFigures {
	if (process === 'grant') {
		const grant = sectionOf(content, 'grant');
		return { places: countOf(grant.places), requestedPence: countOf(grant.requestedPence), openingYear: countOf(grant.year), deliveryRoute: null, band: null };
	}
	if (process === 'rollout') {
		const readiness = sectionOf(content, 'readiness');
		const band = readiness.band === 'standard' || readiness.band === 'enhanced' ? readiness.band : null;
		return { places: null, requestedPence: null, openingYear: countOf(readiness.year), deliveryRoute: null, band };
	}
	const capital = sectionOf(content, 'capital');
	const started = SECTION_SPECS.capital.fields.some((f) => f.kind === 'money' && answered(f, capital[f.name]));
	const route = sectionOf(content, 'delivery').route;
	return {
		places: countOf(sectionOf(content, 'base').places),
		requestedPence: started ? moneyTotal('capital', capital) : null,
		openingYear: countOf(sectionOf(content, 'opening').year),
		deliveryRoute: route === 'trust' || route === 'council' ? route : null,
		band: null
	};
}

/** Where places and money are asked in each process (the line rules' errors land on these fields). */
export const FIGURE_FIELDS: Record<CapitalProcess, { places?: [ApplicationSection, string]; money?: [ApplicationSection, string] }> = {
	scheme: { places: ['base', 'places'], money: ['capital', 'worksPence'] },
	grant: { places: ['grant', 'places'], money: ['grant', 'requestedPence'] },
	rollout: {}
};
