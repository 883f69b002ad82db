import { describe, expect, it } from 'vitest';
import { partnerSchema, sectionSchemas, submitBidSchema, whole } from '../../src/lib/schemas/bids';
import { idSchema } from '../../src/lib/schemas/common';

// Forms post text and the API sends numbers; the commands parse both with the same schema, so
// the two can never drift. These pin down what text counts as a whole number.
describe('bid schemas read a form’s text and the API’s numbers alike', () => {
	it('an id is a number or its digits as text, nothing else', () => {
		const id = whole(idSchema());
		for (const [value, expected] of [[12, 12], ['12', 12], [' 7 ', 7]] as const) expect(id.parse(value)).toBe(expected);
		for (const value of ['', ' ', '1e3', '-1', '1.5', 'abc', '0x10', 0, -1, 1.5, 2 ** 31, null, true, [], {}]) {
			expect(id.safeParse(value).success, `${JSON.stringify(value)} should be refused`).toBe(false);
		}
	});

	it('a refused id from a form says what a person can do about it', () => {
		const result = partnerSchema.safeParse({ bidId: 1, settingId: 'abc' });
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.message).toBe('That could not be found. Reload the page and try again.');
		expect(submitBidSchema.safeParse({ bidId: '3', version: '' }).error?.issues[0]?.message).toBe('This page is out of date. Reload it and try again.');
	});

	it('whole numbers typed into a section are read from text', () => {
		expect(sectionSchemas.need.parse({ needs: [], phases: [], cohortSize: '30' }).cohortSize).toBe(30);
		expect(sectionSchemas.need.parse({ needs: [], phases: [], cohortSize: null }).cohortSize).toBeNull();
		expect(sectionSchemas.need.safeParse({ needs: [], phases: [], cohortSize: 'thirty' }).error?.issues[0]?.message).toBe(
			'Enter the cohort size as a whole number'
		);
		const pledge = { settingId: '4', moneyPence: '12.50', staffHours: '3', staffDescription: '' };
		expect(sectionSchemas.pledges.parse({ pledges: [pledge] }).pledges[0]).toEqual({ settingId: 4, moneyPence: 1250, staffHours: 3, staffDescription: '' });
	});
});
