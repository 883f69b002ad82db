import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import AdviceConsidered from '../../src/lib/pcf/AdviceConsidered.svelte';

// The part of an officer's decision form on an inclusion-base application that weighs the PCF
// advisory group's advice: nothing without advice; with it, the field the command requires (its id
// named for the form, so the error summary links to it), and a warning while points wait for answers.

const html = (props: Parameters<typeof AdviceConsidered>[1]) => render(AdviceConsidered, { props }).body;

describe('the decision form’s PCF advice field', () => {
	it('shows nothing when the application has no advice', () => {
		expect(html({ advice: null, subject: 'application', href: '/pcf/applications/4', form: 'decide' })).not.toContain('adviceConsidered');
		expect(html({ advice: { points: 0, unanswered: 0 }, subject: 'application', href: '/pcf/applications/4', form: 'decide' })).not.toContain('adviceConsidered');
	});

	it('warns of unanswered points, links the advice and asks how it was considered', () => {
		const page = html({ advice: { points: 3, unanswered: 2 }, subject: 'application', href: '/pcf/applications/4', form: 'offer', when: 'Needed to offer the grant.' });
		expect(page).toContain('govuk-warning-text');
		expect(page).toContain('2 of the PCF advisory group’s 3 points on this application have no published answer yet.');
		expect(page).toContain('href="/pcf/applications/4"');
		expect(page).toMatch(/<textarea[^>]*id="offer-adviceConsidered"[^>]*name="adviceConsidered"|<textarea[^>]*name="adviceConsidered"[^>]*id="offer-adviceConsidered"/);
		expect(page).toContain('Needed to offer the grant.');
	});

	it('asks for the words without a warning once every point is answered, and shows the error given', () => {
		const page = html({ advice: { points: 1, unanswered: 0 }, subject: 'application', href: '/pcf/applications/4', form: 'rollout', errors: ['Say how the PCF advisory group’s advice was considered.'] });
		expect(page).not.toContain('govuk-warning-text');
		expect(page).toContain('each answered');
		expect(page).toContain('id="rollout-adviceConsidered-error"');
	});

	it('on a steering group decision item, asks for the words before any advice has come, and speaks of the item', () => {
		const before = html({ advice: { points: 0, unanswered: 0 }, subject: 'item', href: '#points-heading', form: 'decide', always: true });
		expect(before).toContain('id="decide-adviceConsidered"');
		expect(before).toContain('Needed if the forum gives advice before the decision is recorded.');
		expect(before).not.toContain('govuk-warning-text');
		const after = html({ advice: { points: 2, unanswered: 1 }, subject: 'item', href: '#points-heading', form: 'decide', always: true });
		expect(after).toContain('1 of the PCF advisory group’s 2 points on this item has no published answer yet.');
		expect(after).toContain('kept on the item’s timeline');
	});
});
