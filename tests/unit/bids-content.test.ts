import { describe, expect, it } from 'vitest';
import { bidMoney, type BidContent } from '../../src/lib/bids/content';

const base: BidContent = {
	title: 'Shared therapist',
	summary: 'One therapist across three settings',
	needs: ['communication_interaction'],
	phases: ['primary'],
	cohortSize: 40,
	measures: [{ measure: 'IM4', outcome: 'Earlier identification' }],
	budgetLines: [
		{ item: 'Therapist', category: 'staffing', costPence: 1_200_050 },
		{ item: 'Assessments', category: 'resources', costPence: 99_950 }
	],
	pledges: [{ settingId: 1, settingName: 'Meadowside', moneyPence: 300_000, staffHours: 10, staffDescription: '' }],
	milestones: [{ title: 'In post', dueOn: '2027-01-31' }],
	evaluation: 'Termly scores'
};

describe('bid money', () => {
	it('computes total cost, pledged money and the request from the lines, in pence', () => {
		expect(bidMoney(base)).toEqual({ totalCostPence: 1_300_000, pledgedPence: 300_000, requestedPence: 1_000_000 });
	});

	it('never requests a negative amount when pledges cover the cost', () => {
		expect(bidMoney({ ...base, pledges: [{ ...base.pledges[0], moneyPence: 2_000_000 }] }).requestedPence).toBe(0);
	});
});
