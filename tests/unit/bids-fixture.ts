// One complete bid's content, shared by the bid unit tests.
import type { BidContent } from '../../src/lib/bids/content';

export const bidContent: BidContent = {
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
