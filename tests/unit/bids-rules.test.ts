import { describe, expect, it } from 'vitest';
import {
	approvalFits,
	endorsementMet,
	endorsementNeedWords,
	endorsementsNeeded,
	nextStatus,
	parsePounds,
	penceToPoundsInput,
	sumPence
} from '../../src/lib/bids/rules';

describe('money in whole pence', () => {
	it('reads pounds and pence without floating point', () => {
		expect(parsePounds('1250')).toEqual({ ok: true, pence: 125000 });
		expect(parsePounds('£1,250.5')).toEqual({ ok: true, pence: 125050 });
		expect(parsePounds('0.10')).toEqual({ ok: true, pence: 10 });
		// 0.1 + 0.2 style errors cannot happen: 1234567.89 is exact
		expect(parsePounds('1234567.89')).toEqual({ ok: true, pence: 123456789 });
	});

	it('refuses negative, non-numeric, over-precise and absurd amounts with a message', () => {
		for (const bad of ['-5', 'ten pounds', '12.345', '1e6', '', '  ', '12..3']) {
			const result = parsePounds(bad);
			expect(result.ok, bad).toBe(false);
			if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
		}
		expect(parsePounds('100000001')).toMatchObject({ ok: false, message: expect.stringContaining('£100,000,000') });
	});

	it('writes pence back as a pounds input', () => {
		expect(penceToPoundsInput(125000)).toBe('1250');
		expect(penceToPoundsInput(125005)).toBe('1250.05');
	});

	it('adds only whole pence', () => {
		expect(sumPence([1, 2, 3])).toBe(6);
		expect(() => sumPence([1.5])).toThrow(RangeError);
	});

	it('never lets an approval take the pot past its total', () => {
		expect(approvalFits(100_000, 60_000, 40_000)).toBe(true);
		expect(approvalFits(100_000, 60_000, 40_001)).toBe(false);
		expect(approvalFits(100_000, 0, 0)).toBe(false);
	});
});

describe('bid life cycle', () => {
	it('moves a draft through submission, endorsement, review, approval, funding and closure', () => {
		expect(nextStatus('draft', 'submit')).toEqual({ ok: true, to: 'endorsement' });
		expect(nextStatus('endorsement', 'endorsementComplete')).toEqual({ ok: true, to: 'review' });
		expect(nextStatus('review', 'approve')).toEqual({ ok: true, to: 'approved' });
		expect(nextStatus('approved', 'fund')).toEqual({ ok: true, to: 'funded' });
		expect(nextStatus('funded', 'close')).toEqual({ ok: true, to: 'closed' });
	});

	it('returns a bid to draft from endorsement or review, and lets the lead withdraw before a decision', () => {
		expect(nextStatus('review', 'return')).toEqual({ ok: true, to: 'draft' });
		expect(nextStatus('endorsement', 'return')).toEqual({ ok: true, to: 'draft' });
		expect(nextStatus('review', 'withdraw')).toEqual({ ok: true, to: 'withdrawn' });
		expect(nextStatus('approved', 'withdraw').ok).toBe(false);
	});

	it('refuses out-of-order steps with a reason', () => {
		const result = nextStatus('draft', 'approve');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toMatch(/still a draft cannot be approved/);
		expect(nextStatus('declined', 'submit').ok).toBe(false);
		expect(nextStatus('closed', 'fund').ok).toBe(false);
	});
});

describe('endorsement thresholds', () => {
	it('counts a majority as more than half', () => {
		expect(endorsementsNeeded('majority', 0, 12)).toBe(7);
		expect(endorsementsNeeded('majority', 0, 11)).toBe(6);
		expect(endorsementMet('majority', 0, 12, 6)).toBe(false);
		expect(endorsementMet('majority', 0, 12, 7)).toBe(true);
	});

	it('rounds a percentage up and caps a count at the cluster size', () => {
		expect(endorsementsNeeded('percentage', 25, 10)).toBe(3);
		expect(endorsementsNeeded('count', 20, 5)).toBe(5);
		expect(endorsementsNeeded('count', 2, 12)).toBe(2);
	});

	it('never asks more settings than there are to ask, for every rule and size', () => {
		for (const [rule, value] of [['majority', 0], ['percentage', 1], ['percentage', 100], ['count', 1], ['count', 50]] as const) {
			for (let eligible = 1; eligible <= 30; eligible++) {
				const needed = endorsementsNeeded(rule, value, eligible);
				expect(needed, `${rule} ${value} of ${eligible}`).toBeGreaterThanOrEqual(1);
				expect(needed, `${rule} ${value} of ${eligible}`).toBeLessThanOrEqual(eligible);
			}
		}
	});

	it('with no other settings to endorse, none is needed (never "1 of 0")', () => {
		for (const [rule, value] of [['majority', 0], ['percentage', 60], ['count', 2]] as const) {
			expect(endorsementsNeeded(rule, value, 0)).toBe(0);
			expect(endorsementMet(rule, value, 0, 0)).toBe(true);
		}
		expect(endorsementNeedWords(0, 0)).toMatch(/^No other settings in this cluster can endorse, so a submitted bid goes straight to council officers$/);
	});

	it('says the threshold out of the other settings', () => {
		expect(endorsementNeedWords(2, 3)).toBe('2 of 3 other settings must endorse');
		expect(endorsementNeedWords(1, 1)).toBe('1 of 1 other setting must endorse');
	});
});
