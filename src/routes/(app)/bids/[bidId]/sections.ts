// The bid page's section forms as plain text values: seeded from the saved content, read back from
// a posted form, and turned into the shape `saveSectionSchema` checks. Pure, so the page (seeding,
// showing a refused form again) and the form action (parsing) agree on every field name and id.
import { BUDGET_CATEGORIES, INCLUSION_MEASURES, type BidSection } from '$lib/bids/model';
import { penceToPoundsInput } from '$lib/bids/rules';
import type { BidContent } from '$lib/bids/content';
import { blankDateParts, datePartId, isBlankDate, partsFromIso, type DateParts } from '$lib/dates';
import type { SectionRefusal as KitSectionRefusal } from '$lib/document';
import { keysOf, ownValue } from '$lib/records';

export const MEASURE_CODES = keysOf(INCLUSION_MEASURES);
export const BLANK_ROWS = 3;

export interface SectionValueMap {
	overview: { title: string; summary: string };
	need: { needs: string[]; phases: string[]; cohortSize: string };
	measures: { measures: { measure: string; chosen: boolean; outcome: string }[] };
	budget: { lines: { item: string; category: string; cost: string }[] };
	pledges: { pledges: { settingId: number; settingName: string; money: string; hours: string; staffDescription: string }[] };
	milestones: { milestones: { title: string; dueOn: DateParts }[] };
	evaluation: { evaluation: string };
}
export type SectionValues<S extends BidSection = BidSection> = SectionValueMap[S];

/** A refused section save: what was posted comes back with it, so the writer's typing is never lost. */
export interface SectionSaveRefusal extends KitSectionRefusal {
	form: 'save';
	section: BidSection;
	/** The section's version to save against next: the other person's, after a clash. */
	version: number;
	/** The posted fields, in order (repeated fields repeat), read back with `valuesFromForm`. */
	posted: [string, string][];
}

/** Whether an action's answer is this page's refused section save (a type guard: the page's `form` is loosely typed). */
function isSaveRefusal(answer: unknown): answer is SectionSaveRefusal {
	return typeof answer === 'object' && answer !== null && 'form' in answer && answer.form === 'save' && 'posted' in answer && Array.isArray(answer.posted);
}

/** The refused section save in an action's answer, if that is what it is. */
export const saveRefusalIn = (answer: unknown): SectionSaveRefusal | null => (isSaveRefusal(answer) ? answer : null);

/** Each section's save button, saying what it saves. */
export const SAVE_LABELS: Record<BidSection, string> = {
	overview: 'Save title and summary',
	need: 'Save need and cohort',
	measures: 'Save inclusion measures',
	budget: 'Save budget',
	pledges: 'Save pledges',
	milestones: 'Save milestones',
	evaluation: 'Save evaluation'
};

const blankLine = () => ({ item: '', category: 'staffing', cost: '' });
const blankMilestone = () => ({ title: '', dueOn: blankDateParts() });

/** The saved content of one section as form values, with blank rows to add lines. */
export function valuesFromContent<S extends BidSection>(section: S, content: BidContent): SectionValues<S> {
	const values: { [K in BidSection]: () => SectionValueMap[K] } = {
		overview: () => ({ title: content.title, summary: content.summary }),
		need: () => ({
			needs: [...content.needs],
			phases: [...content.phases],
			cohortSize: content.cohortSize === null ? '' : String(content.cohortSize)
		}),
		measures: () => ({
			measures: MEASURE_CODES.map((measure) => {
				const chosen = content.measures.find((m) => m.measure === measure);
				return { measure, chosen: Boolean(chosen), outcome: chosen?.outcome ?? '' };
			})
		}),
		budget: () => ({
			lines: [
				...content.budgetLines.map((l) => ({ item: l.item, category: l.category, cost: penceToPoundsInput(l.costPence) })),
				...Array.from({ length: BLANK_ROWS }, blankLine)
			]
		}),
		pledges: () => ({
			pledges: content.pledges.map((p) => ({
				settingId: p.settingId,
				settingName: p.settingName,
				money: penceToPoundsInput(p.moneyPence),
				hours: String(p.staffHours),
				staffDescription: p.staffDescription
			}))
		}),
		milestones: () => ({
			milestones: [...content.milestones.map((m) => ({ title: m.title, dueOn: partsFromIso(m.dueOn) })), ...Array.from({ length: BLANK_ROWS }, blankMilestone)]
		}),
		evaluation: () => ({ evaluation: content.evaluation })
	};
	return values[section]();
}

/** A posted form as it is read: the browser's FormData, or the fields a refusal sent back (URLSearchParams). */
export interface PostedFields {
	getAll(name: string): unknown[];
}

const texts = (form: PostedFields, name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));
const text = (form: PostedFields, name: string) => texts(form, name)[0] ?? '';

const READERS: { [K in BidSection]: (form: PostedFields, settingNames: ReadonlyMap<number, string>) => SectionValueMap[K] } = {
	overview: (form) => ({ title: text(form, 'title'), summary: text(form, 'summary') }),
	need: (form) => ({ needs: texts(form, 'needs'), phases: texts(form, 'phases'), cohortSize: text(form, 'cohortSize') }),
	measures: (form) => {
		const chosen = new Set(texts(form, 'measures'));
		return { measures: MEASURE_CODES.map((measure) => ({ measure, chosen: chosen.has(measure), outcome: text(form, `outcome-${measure}`) })) };
	},
	budget: (form) => {
		const [categories, costs] = [texts(form, 'category'), texts(form, 'cost')];
		return { lines: texts(form, 'item').map((item, i) => ({ item, category: categories[i] ?? '', cost: costs[i] ?? '' })) };
	},
	pledges: (form, settingNames) => {
		const [money, hours, descriptions] = [texts(form, 'money'), texts(form, 'hours'), texts(form, 'staffDescription')];
		return {
			pledges: texts(form, 'settingId').map((id, i) => ({
				settingId: Number(id),
				settingName: settingNames.get(Number(id)) ?? 'A setting',
				money: money[i] ?? '',
				hours: hours[i] ?? '',
				staffDescription: descriptions[i] ?? ''
			}))
		};
	},
	milestones: (form) => {
		const [days, months, years] = [texts(form, 'dueOn-day'), texts(form, 'dueOn-month'), texts(form, 'dueOn-year')];
		return {
			milestones: texts(form, 'milestoneTitle').map((title, i) => ({ title, dueOn: { day: days[i] ?? '', month: months[i] ?? '', year: years[i] ?? '' } }))
		};
	},
	evaluation: (form) => ({ evaluation: text(form, 'evaluation') })
};

/** A posted section form read back as the values the writer typed. */
export function valuesFromForm<S extends BidSection>(section: S, form: PostedFields, settingNames: ReadonlyMap<number, string> = new Map()): SectionValues<S> {
	return READERS[section](form, settingNames);
}

/** What a refused save posted, read back as the writer's values (pledges named from the saved content). */
export function valuesFromRefusal<S extends BidSection>(section: S, refusal: SectionSaveRefusal, content: BidContent): SectionValues<S> {
	return valuesFromForm(section, new URLSearchParams(refusal.posted), new Map(content.pledges.map((p) => [p.settingId, p.settingName])));
}

/** Input ids, so an error summary link lands on the field. */
export const fieldIds = {
	overview: { title: 'overview-title', summary: 'overview-summary' },
	need: { needs: 'need-needs', phases: 'need-phases', cohortSize: 'need-cohortSize' },
	measure: (code: string) => `measures-${code}`,
	outcome: (code: string) => `measures-outcome-${code}`,
	budget: (field: 'item' | 'category' | 'cost', row: number) => `budget-${field}-${row}`,
	pledge: (field: 'money' | 'hours' | 'staffDescription', settingId: number) => `pledges-${field}-${settingId}`,
	milestone: (field: 'title' | 'dueOn', row: number) => `milestones-${field}-${row}`,
	evaluation: 'evaluation-evaluation'
} as const;

const isBlank = (...parts: string[]) => parts.every((p) => p.trim() === '');

export interface SectionInput {
	/** The `content` for saveSectionSchema (unchecked: the schema says what is wrong). */
	content: unknown;
	/** The input id for a schema issue's path inside `content`. */
	fieldFor: (path: readonly PropertyKey[]) => string;
}

const INPUTS: { [K in BidSection]: (values: SectionValueMap[K]) => SectionInput } = {
	overview: (v) => {
		return {
			content: { title: v.title, summary: v.summary },
			fieldFor: (path) => (path[0] === 'summary' ? fieldIds.overview.summary : fieldIds.overview.title)
		};
	},
	need: (v) => {
		return {
			content: { needs: v.needs, phases: v.phases, cohortSize: v.cohortSize.trim() === '' ? null : v.cohortSize },
			fieldFor: (path) => ownValue(fieldIds.need, String(path[0])) ?? fieldIds.need.needs
		};
	},
	measures: (v) => {
		const chosen = v.measures.filter((m) => m.chosen);
		return {
			content: { measures: chosen.map((m) => ({ measure: m.measure, outcome: m.outcome })) },
			fieldFor: (path) => {
				const index = typeof path[1] === 'number' ? path[1] : -1;
				const code = chosen[index]?.measure;
				if (!code) return fieldIds.measure(MEASURE_CODES[0]);
				return path[2] === 'outcome' ? fieldIds.outcome(code) : fieldIds.measure(code);
			}
		};
	},
	budget: (v) => {
		const rows = v.lines.map((line, row) => ({ line, row })).filter(({ line }) => !isBlank(line.item, line.cost));
		return {
			content: { lines: rows.map(({ line }) => ({ item: line.item, category: line.category, costPence: line.cost })) },
			fieldFor: (path) => {
				const row = typeof path[1] === 'number' ? (rows[path[1]]?.row ?? 0) : 0;
				const field = path[2] === 'costPence' ? 'cost' : path[2] === 'category' ? 'category' : 'item';
				return fieldIds.budget(field, row);
			}
		};
	},
	pledges: (v) => {
		return {
			content: {
				pledges: v.pledges.map((p) => ({
					settingId: p.settingId,
					// A blank amount is a pledge of no money (staff time only).
					moneyPence: p.money.trim() === '' ? 0 : p.money,
					staffHours: p.hours.trim() === '' ? 0 : p.hours,
					staffDescription: p.staffDescription
				}))
			},
			fieldFor: (path) => {
				const settingId = typeof path[1] === 'number' ? (v.pledges[path[1]]?.settingId ?? 0) : (v.pledges[0]?.settingId ?? 0);
				const field = path[2] === 'staffHours' ? 'hours' : path[2] === 'staffDescription' ? 'staffDescription' : 'money';
				return fieldIds.pledge(field, settingId);
			}
		};
	},
	milestones: (v) => {
		const rows = v.milestones.map((m, row) => ({ m, row })).filter(({ m }) => !isBlank(m.title) || !isBlankDate(m.dueOn));
		return {
			content: { milestones: rows.map(({ m }) => ({ title: m.title, dueOn: m.dueOn })) },
			fieldFor: (path) => {
				const row = typeof path[1] === 'number' ? (rows[path[1]]?.row ?? 0) : 0;
				if (path[2] !== 'dueOn') return fieldIds.milestone('title', row);
				const part = path[3] === 'month' || path[3] === 'year' ? path[3] : null;
				return datePartId(fieldIds.milestone('dueOn', row), part);
			}
		};
	},
	evaluation: (v) => {
		return { content: { evaluation: v.evaluation }, fieldFor: () => fieldIds.evaluation };
	}
};

/** Form values as the content a section save carries. Blank rows are left out; the rest is checked by the schema. */
export function sectionInput<S extends BidSection>(section: S, values: SectionValues<S>): SectionInput {
	return INPUTS[section](values);
}

export const categoryOptions = Object.entries(BUDGET_CATEGORIES).map(([value, label]) => ({ value, label }));
