import { describe, expect, it, vi } from 'vitest';
import { render } from 'svelte/server';

// The PCF advisory group page lists its consultations and steering group decisions, its submitted
// bids, its funding rounds and its submitted inclusion-base applications, each paged on its own:
// rendered on the server (as a page without JavaScript gets it), each list's pager keeps the
// other list's place and brings the reader back to its own list, not the top of the page.

vi.mock('$app/state', () => ({ page: { url: new URL('http://localhost/pcf/5?page=bids-cursor&rounds=rounds-cursor'), data: {} } }));
vi.mock('$app/forms', () => ({ enhance: () => ({ destroy() {} }) }));

const { default: GroupPage } = await import('../../src/routes/(app)/pcf/[districtId]/+page.svelte');

const data = {
	group: { districtId: 5, districtName: 'Cherwell', leadUserId: null, answerWithinDays: 10, version: 0 },
	reps: [],
	can: { manage: false, watch: false, consultationRule: false },
	done: false,
	bids: { items: [{ id: 1, title: 'Shared family worker', cluster_name: 'Banbury', status: 'submitted', points: 2, watched: false }], previous: null, next: 'bids-next' },
	rounds: { items: [{ id: 3, name: 'Spring round', cluster_name: 'Banbury', status: 'open', bids: 1, points: 2 }], previous: 'rounds-previous', next: 'rounds-next' },
	consultations: {
		items: [{ id: 4, title: 'Sharing the outreach teacher', cluster_name: 'Banbury', label: 'steering_decision', status: 'open', closes_on: '2027-01-20', decision_meeting_on: '2027-01-27', decided_at: null, points: 1 }],
		previous: null,
		next: null
	},
	applications: {
		items: [{ id: 8, reference: 'CAP-8', title: 'Early years base', stage: 'in_assessment', line_name: 'Early years support base', setting_name: 'Little Acorns', points: 1, watched: true }],
		previous: null,
		next: 'applications-next'
	}
};

describe('the group page’s paged lists', () => {
	const html = render(GroupPage, { props: { data, form: null } as never }).body;
	const hrefs = [...html.matchAll(/href="([^"]*)"[^>]*rel="(prev|next)"/g)].map(([, href]) => href.replace(/&amp;/g, '&'));

	it('gives each list’s caption an id', () => {
		expect(html).toMatch(/<caption id="submitted-bids"[^>]*>Submitted bids in Cherwell<\/caption>/);
		expect(html).toMatch(/<caption id="funding-rounds"[^>]*>Funding rounds in Cherwell<\/caption>/);
		expect(html).toMatch(/<caption id="inclusion-base-applications"[^>]*>Inclusion-base applications in Cherwell<\/caption>/);
	});

	it('shows a steering group’s decision item as one, with the meeting that decides it', () => {
		expect(html).toMatch(/<caption id="consultations"[^>]*>Consultations and steering group decisions in Cherwell<\/caption>/);
		expect(html).toContain('Steering group decision');
		expect(html).toContain('Steering group meets 27 January 2027');
		expect(html).toContain('20 January 2027');
	});

	it('pages each list back to its own caption, keeping the other list’s place', () => {
		expect(hrefs).toEqual([
			'?rounds=rounds-cursor&page=bids-next#submitted-bids',
			'?page=bids-cursor&rounds=rounds-previous#funding-rounds',
			'?page=bids-cursor&rounds=rounds-next#funding-rounds',
			'?page=bids-cursor&rounds=rounds-cursor&applications=applications-next#inclusion-base-applications'
		]);
	});

	it('links each application to the group’s advice on it, whatever its line', () => {
		expect(html).toContain('href="/pcf/applications/8"');
		expect(html).toContain('Early years support base');
	});
});
