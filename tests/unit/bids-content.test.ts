import { describe, expect, it } from 'vitest';
import { bidMoney } from '../../src/lib/bids/content';
import { bidContent as base } from './bids-fixture';

describe('bid money', () => {
	it('computes total cost, pledged money and the request from the lines, in pence', () => {
		expect(bidMoney(base)).toEqual({ totalCostPence: 1_300_000, pledgedPence: 300_000, requestedPence: 1_000_000 });
	});

	it('never requests a negative amount when pledges cover the cost', () => {
		expect(bidMoney({ ...base, pledges: [{ ...base.pledges[0], moneyPence: 2_000_000 }] }).requestedPence).toBe(0);
	});
});
