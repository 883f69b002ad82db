import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { BidContent } from '../../src/lib/bids/content';
import { editorFor, SectionEditor } from '../../src/routes/(app)/bids/[bidId]/editor.svelte';
import { saveRefusalIn, type SectionSaveRefusal } from '../../src/routes/(app)/bids/[bidId]/sections';
import MeasuresFields from '../../src/routes/(app)/bids/[bidId]/MeasuresFields.svelte';
import { bidActionLabel } from '../../src/routes/(app)/bids/[bidId]/timeline';
import { bidStatusLabel, isBidStatus } from '../../src/lib/bids/model';

// A section's own page: its form state across saves, refusals and others' saves, and the parts of
// its markup a page without JavaScript depends on.

const content: BidContent = {
	title: 'Shared family worker',
	summary: 'Two schools share a worker.',
	needs: ['semh'],
	phases: ['primary'],
	cohortSize: 40,
	measures: [{ measure: 'IM4', outcome: 'Fewer exclusions' }],
	budgetLines: [],
	pledges: [{ settingId: 7, settingName: 'Meadowside', moneyPence: 300_000, staffHours: 60, staffDescription: 'SENCO time' }],
	milestones: [],
	evaluation: ''
};

const refusal = (overrides: Partial<SectionSaveRefusal> = {}): SectionSaveRefusal => ({
	form: 'save',
	message: '',
	errors: { 'save-conflict': ['Someone else saved “Title and summary” while you were editing.'] },
	values: { version: '2' },
	conflict: true,
	sectionConflict: { section: 'overview', label: 'Title and summary', version: 3, theirs: ['Title: Theirs'], savedBy: null },
	section: 'overview',
	version: 3,
	posted: [
		['version', '2'],
		['title', 'Mine'],
		['summary', 'My summary']
	],
	...overrides
});

describe('a section page’s form', () => {
	it('puts back what was posted after a refused save, against the version the refusal names', () => {
		const editor = new SectionEditor('overview', { content, version: 2, refusal: refusal() });
		expect(editor.values).toEqual({ title: 'Mine', summary: 'My summary' });
		expect(editor.baseVersion).toBe(3);
		expect(editor.dirty).toBe(true);
	});

	it('reads a refused pledge save back with each setting’s name from the saved content', () => {
		const posted: [string, string][] = [['settingId', '7'], ['money', '12x'], ['hours', '3'], ['staffDescription', '']];
		const editor = editorFor('pledges', { content, version: 1, refusal: refusal({ section: 'pledges', sectionConflict: null, posted }) });
		expect(editor.section === 'pledges' && editor.values.pledges).toEqual([{ settingId: 7, settingName: 'Meadowside', money: '12x', hours: '3', staffDescription: '' }]);
	});

	it('never re-seeds under the writer’s typing, and does once they have saved', () => {
		const editor = new SectionEditor('evaluation', { content, version: 1, refusal: null });
		editor.values.evaluation = 'Typing…';
		editor.markDirty();
		editor.sync({ content: { ...content, evaluation: 'Someone else’s' }, version: 2, refusal: null });
		expect(editor.values.evaluation).toBe('Typing…');
		expect(editor.baseVersion).toBe(1);
		editor.markSaved();
		editor.sync({ content: { ...content, evaluation: 'Saved now' }, version: 3, refusal: null });
		expect(editor.values).toEqual({ evaluation: 'Saved now' });
		expect(editor.baseVersion).toBe(3);
	});

	it('ignores another section’s refusal', () => {
		const editor = new SectionEditor('evaluation', { content, version: 1, refusal: refusal() });
		expect(editor.dirty).toBe(false);
		expect(editor.baseVersion).toBe(1);
	});

	it('recognises only its own form’s refusal in an action’s answer', () => {
		expect(saveRefusalIn(refusal())?.section).toBe('overview');
		expect(saveRefusalIn({ form: 'submit', message: '', errors: {}, values: {}, conflict: false })).toBeNull();
		expect(saveRefusalIn(null)).toBeNull();
		expect(saveRefusalIn({ form: 'save', posted: 'not a list' })).toBeNull();
	});
});

describe('the inclusion measures without JavaScript', () => {
	const editor = new SectionEditor('measures', { content, version: 1, refusal: null });
	const html = render(MeasuresFields, { props: { editor, errors: {} } }).body;

	it('shows every outcome box, saying to fill in only those ticked', () => {
		expect(html).not.toMatch(/govuk-checkboxes__conditional[^>]*hidden/);
		expect(html.match(/class="govuk-checkboxes__conditional/g)).toHaveLength(5);
		expect(html).toContain('Give an outcome only for the measures you tick');
	});

	it('does not claim to control a box it cannot hide', () => {
		expect(html).not.toContain('aria-expanded');
		expect(html).toMatch(/id="measures-IM4"[^>]*checked/);
	});
});

describe('words from the database or a form', () => {
	it('are a bid status or section only when they name one, never by way of Object.prototype', () => {
		expect(isBidStatus('draft')).toBe(true);
		expect(isBidStatus('constructor')).toBe(false);
		expect(bidStatusLabel('toString')).toBe('toString');
		expect(bidActionLabel({ id: 1, action: 'bid.section_saved', at: '2026-01-01T00:00:00Z', who: 'A', reason: null, detail: { section: 'budget' } })).toBe('saved budget');
		expect(bidActionLabel({ id: 1, action: 'bid.section_saved', at: '2026-01-01T00:00:00Z', who: 'A', reason: null, detail: { section: '__proto__' } })).toBe('saved a section');
	});
});
