import { describe, expect, it } from 'vitest';
import type { BidContent } from '../../src/lib/bids/content';
import { bidChecklist, bidDocument, submissionChecks, type SubmissionFacts } from '../../src/lib/bids/document';
import { changedSections, sectionStatus, taskList } from '../../src/lib/document';
import { bidContent as base } from './bids-fixture';

const ready: SubmissionFacts = { confirmedPledges: [1], partnerCount: 1, maxRequestPence: 2_500_000 };
const missing = (content: BidContent, facts: SubmissionFacts = ready) => bidChecklist(content, facts, '/bids/7');

describe('what changed since an endorsement', () => {
	it('lists only the sections that differ, with their text before and after', () => {
		const after: BidContent = {
			...base,
			milestones: [...base.milestones, { title: 'First review', dueOn: '2027-04-30' }],
			budgetLines: [base.budgetLines[0]]
		};
		const changes = changedSections(bidDocument, base, after);
		expect(changes.map((c) => c.section)).toEqual(['budget', 'milestones']);
		expect(changes[1].after).toContain('2027-04-30: First review');
		expect(changes[0].before.join('\n')).toMatch(/Assessments \(Resources and equipment\): £999\.50/);
	});

	it('finds nothing when the content is the same', () => {
		expect(changedSections(bidDocument, base, structuredClone(base))).toEqual([]);
	});
});

describe('submission checklist', () => {
	it('is empty for a complete bid', () => {
		expect(missing(base)).toEqual([]);
	});

	it('lists every missing section, in the bid’s order', () => {
		const items = missing(
			{ ...base, title: ' ', measures: [{ measure: 'IM1', outcome: '' }], budgetLines: [{ item: 'Therapist', category: 'staffing', costPence: 3_300_000 }], evaluation: '' },
			{ ...ready, confirmedPledges: [] }
		);
		expect(items.map((m) => m.section)).toEqual(['overview', 'measures', 'budget', 'pledges', 'evaluation']);
		expect(items.find((m) => m.section === 'pledges')?.message).toBe("Meadowside's headteacher has not confirmed its pledge");
		expect(items.find((m) => m.section === 'budget')?.message).toBe('The amount requested is more than this round’s maximum request');
	});

	it('the submission, not any section, needs the lead headteacher’s sign-off and an open round', () => {
		expect(submissionChecks({ leadHeadteacherSigned: false, roundOpen: false })).toEqual([
			'The funding round is not open for submissions',
			'The lead setting’s headteacher must sign off the bid'
		]);
		expect(submissionChecks({ leadHeadteacherSigned: true, roundOpen: true })).toEqual([]);
		// A complete bid's "Title and summary" is completed whoever reads it: the sign-off is not its.
		expect(missing(base).filter((m) => m.section === 'overview')).toEqual([]);
	});

	it('needs a partner and money asked of the pot', () => {
		const items = missing({ ...base, pledges: [{ ...base.pledges[0], moneyPence: 1_300_000 }] }, { ...ready, partnerCount: 0 });
		expect(items.map((m) => m.message)).toEqual(['The amount requested must be more than £0', 'Add at least one partner setting']);
	});
});

describe('the bid’s task list', () => {
	const empty: BidContent = { ...base, summary: '', needs: [], phases: [], cohortSize: null, measures: [], budgetLines: [], milestones: [], evaluation: '',
		pledges: [{ ...base.pledges[0], moneyPence: 0, staffHours: 0 }] };

	it('a new bid has its title only: the overview is in progress and the rest not started', () => {
		const facts = { ...ready, partnerCount: 0, confirmedPledges: [] };
		const entries = taskList(bidDocument, { ...empty, facts }, '/bids/7', { missing: missing(empty, facts) });
		expect(entries.map((e) => e.status)).toEqual(['in progress', ...Array(6).fill('not started')]);
	});

	it('a written section with nothing missing is completed', () => {
		const items = missing(base);
		expect(bidDocument.order.map((section) => sectionStatus(bidDocument, { ...base, facts: ready }, section, items))).toEqual(Array(7).fill('completed'));
	});
});
