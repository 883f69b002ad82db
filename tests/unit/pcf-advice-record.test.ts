import { describe, expect, it } from 'vitest';
import { adviceConsideredProblem, adviceWords } from '../../src/lib/server/pcf/advice-record';
import { adviceLink, auditSubjectOf, detailOf, keyOfInput, keyOfPoint, subjectColumn, subjectOf } from '../../src/lib/server/pcf/proposals';
import type { ProposalRef } from '../../src/lib/server/pcf/policy';

// The pure rules around the forum's advice on a decision, and how an inclusion-base application
// is named as a proposal (its column, its audit subject, its page), beside the other kinds.

describe('a decision weighing the forum’s advice', () => {
	it('needs no words when there is no advice, and words (not blanks) when there is, naming what is unanswered', () => {
		expect(adviceConsideredProblem({ points: 0, unanswered: 0 }, '')).toBeNull();
		expect(adviceConsideredProblem({ points: 2, unanswered: 0 }, 'Weighed both points.')).toBeNull();
		expect(adviceConsideredProblem({ points: 2, unanswered: 0 }, '  ')).toBe('Say how the PCF advisory group’s advice was considered.');
		expect(adviceConsideredProblem({ points: 3, unanswered: 1 }, '')).toBe('Say how the PCF advisory group’s advice was considered. 1 of its 3 points has no published answer yet.');
		expect(adviceConsideredProblem({ points: 3, unanswered: 2 }, '')).toMatch(/2 of its 3 points have no published answer yet\.$/);
	});

	it('adds the words to the decision’s timeline line only when there are some', () => {
		expect(adviceWords(null)).toBe('');
		expect(adviceWords('Weighed it.')).toBe('. How the PCF advisory group’s advice was considered: Weighed it.');
	});
});

describe('an inclusion-base application as a proposal', () => {
	const APPLICATION: ProposalRef = { kind: 'application', id: 42, districtId: 1, districtName: 'Cherwell', submitted: true, ownerSettingId: 100, partnerSettingIds: [] };

	it('is named by its own column, audit subject, detail and advice page', () => {
		expect(subjectColumn(APPLICATION)).toBe('capital_application_id');
		expect(subjectOf(APPLICATION)).toEqual({ bid_id: null, consultation_id: null, round_id: null, capital_application_id: 42 });
		expect(auditSubjectOf(APPLICATION)).toEqual({ type: 'capital_application', id: 42 });
		expect(detailOf(APPLICATION)).toEqual({ applicationId: 42 });
		expect(adviceLink(APPLICATION)).toBe('/pcf/applications/42');
	});

	it('is found again from a form’s input and from its points, apart from a bid of the same id', () => {
		expect(keyOfInput({ applicationId: 42 })).toEqual({ applicationId: 42 });
		expect(keyOfInput({ bidId: 42 })).toBe(42);
		expect(keyOfPoint({ bid_id: null, consultation_id: null, round_id: null, capital_application_id: 42 })).toEqual({ applicationId: 42 });
		expect(adviceLink({ kind: 'bid', id: 42 })).toBe('/pcf/bids/42');
		expect(adviceLink({ kind: 'round', id: 42 })).toBe('/pcf/rounds/42');
		expect(adviceLink({ kind: 'consultation', id: 42 })).toBe('/pcf/consultations/42');
	});
});
