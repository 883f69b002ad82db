import { describe, expect, it } from 'vitest';
import type { BidContent } from '../../src/lib/bids/content';
import { bidDocument } from '../../src/lib/bids/document';
import { saveSectionSchema } from '../../src/lib/schemas/bids';
import { addYears, ukToday } from '../../src/lib/dates';
import {
	BLANK_ROWS,
	fieldIds,
	sectionInput,
	valuesFromContent,
	valuesFromForm,
	type SectionValues
} from '../../src/routes/(app)/bids/[bidId]/sections';

// Milestones must be due from today on, so the saved one is always a year ahead.
const NEXT_YEAR = addYears(ukToday(), 1);

const content: BidContent = {
	title: 'Shared family worker',
	summary: 'Two schools share a worker.',
	needs: ['semh'],
	phases: ['primary', 'secondary'],
	cohortSize: 40,
	measures: [{ measure: 'IM4', outcome: 'Fewer exclusions' }],
	budgetLines: [
		{ item: 'Family worker', category: 'staffing', costPence: 1_800_000 },
		{ item: 'Training', category: 'training', costPence: 250_050 }
	],
	pledges: [
		{ settingId: 7, settingName: 'Meadowside', moneyPence: 300_000, staffHours: 60, staffDescription: 'SENCO time' },
		{ settingId: 9, settingName: 'Castlebrook', moneyPence: 0, staffHours: 0, staffDescription: '' }
	],
	milestones: [{ title: 'Worker in post', dueOn: NEXT_YEAR }],
	evaluation: 'Termly SDQ scores.'
};

function form(entries: [string, string][]): FormData {
	const data = new FormData();
	for (const [name, value] of entries) data.append(name, value);
	return data;
}

const parse = (section: (typeof bidDocument.order)[number], values: SectionValues) =>
	saveSectionSchema.safeParse({ bidId: 1, section, version: 0, content: sectionInput(section, values).content });

describe('bid section forms', () => {
	it('saving every section unchanged gives back exactly the saved content', () => {
		for (const section of bidDocument.order) {
			const parsed = parse(section, valuesFromContent(section, content));
			expect(parsed.success, section).toBe(true);
		}
		const budget = parse('budget', valuesFromContent('budget', content));
		expect(budget.success && budget.data.content).toEqual({
			lines: [
				{ item: 'Family worker', category: 'staffing', costPence: 1_800_000 },
				{ item: 'Training', category: 'training', costPence: 250_050 }
			]
		});
	});

	it('reads a milestone’s day, month and year fields, and puts a date error on the part it is about', () => {
		const [year] = NEXT_YEAR.split('-');
		const posted = valuesFromForm(
			'milestones',
			form([
				['milestoneTitle', 'Worker in post'],
				['dueOn-day', '7'],
				['dueOn-month', '3'],
				['dueOn-year', year!],
				['milestoneTitle', 'First review'],
				['dueOn-day', '1'],
				['dueOn-month', ''],
				['dueOn-year', year!],
				['milestoneTitle', ''],
				['dueOn-day', ''],
				['dueOn-month', ''],
				['dueOn-year', '']
			])
		);
		expect(valuesFromContent('milestones', content).milestones[0]?.dueOn).toEqual({
			day: String(Number(NEXT_YEAR.slice(8))),
			month: String(Number(NEXT_YEAR.slice(5, 7))),
			year
		});
		const input = sectionInput('milestones', posted);
		const parsed = saveSectionSchema.safeParse({ bidId: 1, section: 'milestones', version: 0, content: input.content });
		expect(parsed.success).toBe(false);
		const issue = parsed.error!.issues[0]!;
		expect(issue.message).toBe('Due date must include a month');
		expect(input.fieldFor(issue.path.slice(1))).toBe(`${fieldIds.milestone('dueOn', 1)}-month`);
		const past = sectionInput('milestones', { milestones: [{ title: 'Old', dueOn: { day: '30', month: '6', year: '2020' } }] });
		const refused = saveSectionSchema.safeParse({ bidId: 1, section: 'milestones', version: 0, content: past.content });
		expect(refused.error?.issues[0]?.message).toBe('Due date must be today or in the future');
		expect(input.fieldFor(refused.error!.issues[0]!.path.slice(1))).toBe(fieldIds.milestone('dueOn', 0));
	});

	it('offers blank budget and milestone rows to add lines, and ignores them when saving', () => {
		const values = valuesFromContent('budget', content);
		expect(values.lines).toHaveLength(content.budgetLines.length + BLANK_ROWS);
		const posted = valuesFromForm(
			'budget',
			form([
				['item', 'Books'],
				['category', 'resources'],
				['cost', '£1,250.50'],
				['item', ''],
				['category', 'staffing'],
				['cost', ''],
				['item', 'Visits'],
				['category', 'other'],
				['cost', '300']
			])
		);
		const parsed = parse('budget', posted);
		expect(parsed.success && parsed.data.content).toEqual({
			lines: [
				{ item: 'Books', category: 'resources', costPence: 125_050 },
				{ item: 'Visits', category: 'other', costPence: 30_000 }
			]
		});
	});

	it('points an error in a budget line at that line’s field, counting the blank lines the writer skipped', () => {
		const posted = valuesFromForm(
			'budget',
			form([
				['item', ''],
				['category', 'staffing'],
				['cost', ''],
				['item', 'Books'],
				['category', 'resources'],
				['cost', 'lots']
			])
		);
		const input = sectionInput('budget', posted);
		const parsed = saveSectionSchema.safeParse({ bidId: 1, section: 'budget', version: 0, content: input.content });
		expect(parsed.success).toBe(false);
		const issue = parsed.error!.issues[0];
		expect(input.fieldFor(issue.path.slice(1))).toBe(fieldIds.budget('cost', 1));
	});

	it('reads a blank pledge amount as no money, and points a wrong figure at that setting’s field', () => {
		const posted = valuesFromForm(
			'pledges',
			form([
				['settingId', '7'],
				['money', ''],
				['hours', '12'],
				['staffDescription', 'Teaching assistant'],
				['settingId', '9'],
				['money', '100'],
				['hours', '1.5'],
				['staffDescription', '']
			])
		);
		const input = sectionInput('pledges', posted);
		const parsed = saveSectionSchema.safeParse({ bidId: 1, section: 'pledges', version: 0, content: input.content });
		expect(parsed.success).toBe(false);
		const issues = parsed.error!.issues.map((issue) => input.fieldFor(issue.path.slice(1)));
		expect(issues).toEqual([fieldIds.pledge('hours', 9)]);
		expect((input.content as { pledges: { moneyPence: unknown }[] }).pledges[0].moneyPence).toBe(0);
	});

	it('keeps chosen measures with their outcomes and leaves out those not ticked', () => {
		const posted = valuesFromForm(
			'measures',
			form([
				['measures', 'IM2'],
				['outcome-IM2', 'More confident staff'],
				['outcome-IM3', 'typed but not ticked']
			])
		);
		const parsed = parse('measures', posted);
		expect(parsed.success && parsed.data.content).toEqual({ measures: [{ measure: 'IM2', outcome: 'More confident staff' }] });
	});

	it('refuses a cohort size that is not a whole number instead of guessing', () => {
		const posted = valuesFromForm('need', form([['needs', 'semh'], ['cohortSize', 'twelve']]));
		const input = sectionInput('need', posted);
		const parsed = saveSectionSchema.safeParse({ bidId: 1, section: 'need', version: 0, content: input.content });
		expect(parsed.success).toBe(false);
		expect(input.fieldFor(parsed.error!.issues[0].path.slice(1))).toBe(fieldIds.need.cohortSize);
		expect(parse('need', valuesFromForm('need', form([['cohortSize', '']]))).success).toBe(true);
	});
});
