import { describe, expect, it } from 'vitest';
import { defineDocument, isSectionOf, sectionHref } from '../../src/lib/document/define';
import { checklist, missingBySection, sectionStatus, taskList } from '../../src/lib/document/progress';
import { blank, complete, referral, type Referral } from './document-fixture';

describe('declaring a document', () => {
	it('accepts an order that names every section once', () => {
		expect(referral.order).toEqual(['child', 'needs', 'support']);
	});

	it('refuses an order that leaves a section out or names one twice', () => {
		const sections = referral.sections;
		expect(() => defineDocument({ noun: 'referral', sections, order: ['child', 'needs'] as never })).toThrow(/each of its sections exactly once/);
		expect(() => defineDocument({ noun: 'referral', sections, order: ['child', 'needs', 'needs'] as never })).toThrow();
	});

	it('knows its own sections and nothing from the object prototype', () => {
		expect(isSectionOf(referral, 'needs')).toBe(true);
		expect(isSectionOf(referral, 'toString')).toBe(false);
		expect(isSectionOf(referral, 'budget')).toBe(false);
	});

	it('links a section to its own page under the document', () => {
		expect(sectionHref('/referrals/4', 'needs')).toBe('/referrals/4/sections/needs');
	});
});

describe('the checklist of what is missing', () => {
	it('lists every missing item in section order, each linking to its section', () => {
		expect(checklist(referral, blank, '/referrals/4')).toEqual([
			{ section: 'child', label: 'The child', message: 'Give the child’s name', href: '/referrals/4/sections/child' },
			{ section: 'needs', label: 'Needs', message: 'Add at least one need', href: '/referrals/4/sections/needs' },
			{ section: 'support', label: 'Support asked for', message: 'Say what support is asked for', href: '/referrals/4/sections/support' }
		]);
	});

	it('is empty when nothing is missing', () => {
		expect(checklist(referral, complete, '/referrals/4')).toEqual([]);
	});

	it('groups the missing messages by section, as a refusal’s field errors', () => {
		expect(missingBySection(checklist(referral, { ...complete, needs: [], support: '' }, '/r/1'))).toEqual({
			needs: ['Add at least one need'],
			support: ['Say what support is asked for']
		});
	});
});

describe('a section’s status in the task list', () => {
	const statusOf = (content: Referral, section: 'child' | 'needs' | 'support') =>
		sectionStatus(referral, content, section, checklist(referral, content, '/r/1'));

	it('is not started when nobody has written in it', () => {
		expect(statusOf(blank, 'child')).toBe('not started');
		expect(statusOf(blank, 'needs')).toBe('not started');
	});

	it('uses the section’s own idea of started when its summary always has words', () => {
		// "Name: " is a summary line with text, yet nobody has written the name.
		expect(referral.sections.child.summary(blank)).toEqual(['Name: ']);
		expect(statusOf(blank, 'child')).toBe('not started');
	});

	it('cannot start yet while another section must come first, and can once it is done', () => {
		expect(statusOf(blank, 'support')).toBe('cannot start yet');
		expect(statusOf({ ...blank, child: 'Sam' }, 'support')).toBe('not started');
	});

	it('is in progress when written in but something is still missing', () => {
		// A need outside the content (a confirmation) makes the section incomplete though it has text.
		const missing = [{ section: 'needs' as const, label: 'Needs', message: 'The SENCo has not confirmed the needs', href: '' }];
		expect(sectionStatus(referral, complete, 'needs', missing)).toBe('in progress');
	});

	it('is completed when written in with nothing missing', () => {
		expect(statusOf(complete, 'needs')).toBe('completed');
		expect(statusOf(complete, 'support')).toBe('completed');
	});
});

describe('the overview’s task list', () => {
	it('gives each section its status, link, what is missing and who is working in it', () => {
		const entries = taskList(referral, { ...blank, needs: ['Speech and language'] }, '/referrals/4', { presence: { needs: ['Amira Shah'] } });
		expect(entries).toEqual([
			{ section: 'child', label: 'The child', status: 'not started', href: '/referrals/4/sections/child', hints: ['Give the child’s name'], others: [] },
			{ section: 'needs', label: 'Needs', status: 'completed', href: '/referrals/4/sections/needs', hints: [], others: ['Amira Shah'] },
			{ section: 'support', label: 'Support asked for', status: 'cannot start yet', href: null, hints: ['Add the child’s details first'], others: [] }
		]);
	});

	it('takes a checklist the feature extended with facts outside the content', () => {
		const missing = [{ section: 'child' as const, label: 'The child', message: 'The round is closed', href: '/referrals/4/sections/child' }];
		const [child] = taskList(referral, complete, '/referrals/4', { missing });
		expect(child).toMatchObject({ status: 'in progress', hints: ['The round is closed'] });
	});
});
