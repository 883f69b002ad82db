import { describe, expect, it } from 'vitest';
import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import TaskList from '../../src/lib/components/TaskList.svelte';
import CheckAnswers from '../../src/lib/components/CheckAnswers.svelte';
import SectionConflict from '../../src/lib/components/SectionConflict.svelte';
import { answers, taskList } from '../../src/lib/document/progress';
import { conflictFieldId, sectionConflictIn } from '../../src/lib/document/conflict';
import { blank, complete, referral } from './document-fixture';

// The components rendered on the server, as a page without JavaScript gets them: what a person
// (and a screen reader) would find in the markup.
const text = (html: string) => html.replace(/<!--[^]*?-->/g, '').replace(/\s+/g, ' ');

describe('the task list', () => {
	const entries = taskList(referral, { ...blank, needs: ['Speech and language'] }, '/referrals/4', { presence: { needs: ['Amira Shah'] } });
	const html = text(render(TaskList, { props: { entries } }).body);

	it('links each section that can start to its page, its status read with the link', () => {
		expect(html).toContain('<a class="govuk-link govuk-task-list__link" href="/referrals/4/sections/child" aria-describedby="task-list-child-hint task-list-child-status">The child</a>');
		expect(html).toMatch(/id="task-list-child-status"[^>]*>\s*<strong class="govuk-tag govuk-tag--teal">Not yet started<\/strong>/);
		expect(html).toMatch(/id="task-list-needs-status"[^>]*>\s*Completed/);
	});

	it('gives a section that cannot start yet no link, and says why', () => {
		expect(html).not.toContain('href="/referrals/4/sections/support"');
		expect(html).toMatch(/govuk-task-list__status--cannot-start-yet[^>]*>\s*Cannot start yet/);
		expect(html).toContain('Add the child’s details first');
	});

	it('shows the same missing message twice if a section has it twice', () => {
		const twice = [{ section: 'needs', label: 'Needs', status: 'in progress' as const, href: '/r/1/sections/needs', hints: ['Confirm a pledge', 'Confirm a pledge'], others: [] }];
		expect(text(render(TaskList, { props: { entries: twice } }).body).match(/<li>Confirm a pledge<\/li>/g)).toHaveLength(2);
	});

	it('says who is working in a section, as part of its hint', () => {
		expect(html).toMatch(/id="task-list-needs-hint"[^]*Amira Shah is working in this section/);
	});

	it('escapes what people typed rather than rendering it as markup', () => {
		const [entry] = taskList(referral, complete, '/r/1', { presence: { child: ['<b>Mallory</b>'] } });
		expect(render(TaskList, { props: { entries: [entry] } }).body).toContain('&lt;b>Mallory&lt;/b>');
	});
});

describe('check your answers', () => {
	it('shows each section’s lines with a Change link naming the section for screen readers', () => {
		const html = text(render(CheckAnswers, { props: { rows: answers(referral, complete, '/referrals/4', true) } }).body);
		expect(html).toContain('<dt class="govuk-summary-list__key">Support asked for</dt>');
		expect(html).toContain('Weekly therapy');
		expect(html).toContain('<a class="govuk-link" href="/referrals/4/sections/needs">Change<span class="govuk-visually-hidden"> Needs</span></a>');
	});

	it('says a section is empty in words, and offers no Change link to someone who may only read', () => {
		const html = text(render(CheckAnswers, { props: { rows: answers(referral, blank, '/referrals/4', false) } }).body);
		expect(html).toContain('Not given yet');
		expect(html).not.toContain('Change');
		expect(html).not.toContain('govuk-summary-list__actions');
	});
});

describe('a clash between two writers', () => {
	const conflict = { section: 'support', label: 'Support asked for', version: 3, theirs: ['Fortnightly therapy'], savedBy: 'Amira Shah' };
	const yourForm = createRawSnippet(() => ({ render: () => '<textarea id="save-support">Weekly therapy</textarea>' }));

	it('shows their saved text beside the writer’s own, under an id the error summary links to', () => {
		const html = text(render(SectionConflict, { props: { conflict, id: conflictFieldId('save'), children: yourForm } }).body);
		expect(html).toContain('id="save-conflict"');
		expect(html).toContain('tabindex="-1"');
		expect(html).toMatch(/<h2 class="govuk-heading-m" id="save-conflict-heading">\s*Amira Shah saved “Support asked for” while you were editing/);
		expect(html.indexOf('Their saved version')).toBeLessThan(html.indexOf('Your version'));
		expect(html).toContain('<li>Fortnightly therapy</li>');
		expect(html).toContain('<textarea id="save-support">Weekly therapy</textarea>');
	});

	it('says when the other person left the section empty', () => {
		const html = render(SectionConflict, { props: { conflict: { ...conflict, theirs: [], savedBy: null }, id: 'x', children: yourForm } }).body;
		expect(html).toContain('Someone else saved');
		expect(html).toContain('They left this section empty.');
	});

	it('is found in a form’s refusal only for that form', () => {
		const refusal = { form: 'save', message: '', errors: {}, values: {}, conflict: true, sectionConflict: conflict };
		expect(sectionConflictIn(refusal, 'save')).toEqual(conflict);
		expect(sectionConflictIn(refusal, 'submit')).toBeNull();
		expect(sectionConflictIn({ ...refusal, sectionConflict: null }, 'save')).toBeNull();
		expect(sectionConflictIn(null, 'save')).toBeNull();
	});
});
