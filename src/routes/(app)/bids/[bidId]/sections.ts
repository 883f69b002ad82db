// The bid page's section forms as plain text values: seeded from the saved content, read back from
// a posted form, and turned into the shape `saveSectionSchema` checks. Pure, so the page (seeding,
// showing a refused form again) and the form action (parsing) agree on every field name and id.
import { BUDGET_CATEGORIES, INCLUSION_MEASURES, type BidSection } from '$lib/bids/model';
import { penceToPoundsInput } from '$lib/bids/rules';
import type { BidContent } from '$lib/bids/content';
import { blankDateParts, datePartId, isBlankDate, partsFromIso, type DateParts } from '$lib/dates';
import type { FormRefusal } from '$lib/form-refusal';

export type { FormRefusal };

export const MEASURE_CODES = Object.keys(INCLUSION_MEASURES) as (keyof typeof INCLUSION_MEASURES)[];
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

/** A refused section save: the writer's own typing comes back with it, never lost. */
export interface SectionRefusal extends FormRefusal {
	form: 'saveSection';
	section: BidSection;
	/** The section's version to save against next: the other person's, after a clash. */
	version: number;
	yours: SectionValues;
}

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
	return values[section]() as SectionValues<S>;
}

const text = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
};
const texts = (form: FormData, name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));

/** A posted section form read back as the values the writer typed. */
export function valuesFromForm(section: BidSection, form: FormData, settingNames = new Map<number, string>()): SectionValues {
	switch (section) {
		case 'overview':
			return { title: text(form, 'title'), summary: text(form, 'summary') };
		case 'need':
			return { needs: texts(form, 'needs'), phases: texts(form, 'phases'), cohortSize: text(form, 'cohortSize') };
		case 'measures': {
			const chosen = new Set(texts(form, 'measures'));
			return {
				measures: MEASURE_CODES.map((measure) => ({ measure, chosen: chosen.has(measure), outcome: text(form, `outcome-${measure}`) }))
			};
		}
		case 'budget': {
			const items = texts(form, 'item');
			const categories = texts(form, 'category');
			const costs = texts(form, 'cost');
			return { lines: items.map((item, i) => ({ item, category: categories[i] ?? '', cost: costs[i] ?? '' })) };
		}
		case 'pledges': {
			const money = texts(form, 'money');
			const hours = texts(form, 'hours');
			const descriptions = texts(form, 'staffDescription');
			return {
				pledges: texts(form, 'settingId').map((id, i) => ({
					settingId: Number(id),
					settingName: settingNames.get(Number(id)) ?? 'A setting',
					money: money[i] ?? '',
					hours: hours[i] ?? '',
					staffDescription: descriptions[i] ?? ''
				}))
			};
		}
		case 'milestones': {
			const [days, months, years] = [texts(form, 'dueOn-day'), texts(form, 'dueOn-month'), texts(form, 'dueOn-year')];
			return {
				milestones: texts(form, 'milestoneTitle').map((title, i) => ({
					title,
					dueOn: { day: days[i] ?? '', month: months[i] ?? '', year: years[i] ?? '' }
				}))
			};
		}
		case 'evaluation':
			return { evaluation: text(form, 'evaluation') };
	}
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

/** Form values as the content a section save carries. Blank rows are left out; the rest is checked by the schema. */
export function sectionInput(section: BidSection, values: SectionValues): SectionInput {
	switch (section) {
		case 'overview': {
			const v = values as SectionValueMap['overview'];
			return {
				content: { title: v.title, summary: v.summary },
				fieldFor: (path) => (path[0] === 'summary' ? fieldIds.overview.summary : fieldIds.overview.title)
			};
		}
		case 'need': {
			const v = values as SectionValueMap['need'];
			return {
				content: { needs: v.needs, phases: v.phases, cohortSize: v.cohortSize.trim() === '' ? null : v.cohortSize },
				fieldFor: (path) => fieldIds.need[path[0] as keyof typeof fieldIds.need] ?? fieldIds.need.needs
			};
		}
		case 'measures': {
			const v = values as SectionValueMap['measures'];
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
		}
		case 'budget': {
			const v = values as SectionValueMap['budget'];
			const rows = v.lines.map((line, row) => ({ line, row })).filter(({ line }) => !isBlank(line.item, line.cost));
			return {
				content: { lines: rows.map(({ line }) => ({ item: line.item, category: line.category, costPence: line.cost })) },
				fieldFor: (path) => {
					const row = typeof path[1] === 'number' ? (rows[path[1]]?.row ?? 0) : 0;
					const field = path[2] === 'costPence' ? 'cost' : path[2] === 'category' ? 'category' : 'item';
					return fieldIds.budget(field, row);
				}
			};
		}
		case 'pledges': {
			const v = values as SectionValueMap['pledges'];
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
		}
		case 'milestones': {
			const v = values as SectionValueMap['milestones'];
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
		}
		case 'evaluation': {
			const v = values as SectionValueMap['evaluation'];
			return { content: { evaluation: v.evaluation }, fieldFor: () => fieldIds.evaluation };
		}
	}
}

export const categoryOptions = Object.entries(BUDGET_CATEGORIES).map(([value, label]) => ({ value, label }));
