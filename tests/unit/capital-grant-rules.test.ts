import { describe, expect, it } from 'vitest';
import { acceptOutcome, claimProblems, declarationProblems, offerCapProblems } from '../../src/lib/capital/grant/rules';
import { moveFor, movesFrom } from '../../src/lib/capital/flow';

const line = { name: 'Early years support base', maxPerBasePence: 10_000_00 };

describe('offering within the line’s hard cap', () => {
	it('allows up to the cap and what was asked, and refuses a penny more of either', () => {
		expect(offerCapProblems({ amountPence: 10_000_00 }, line, 10_000_00)).toEqual({});
		expect(offerCapProblems({ amountPence: 10_000_01 }, line, null)).toEqual({ amountPence: 'Early years support base grants are at most £10,000 per base; £10,000.01 is over that.' });
		expect(offerCapProblems({ amountPence: 7_000_01 }, line, 7_000_00)).toEqual({ amountPence: 'The setting asked for £7,000; the offer cannot be more than that.' });
		expect(offerCapProblems({ amountPence: 50_000_00 }, { name: 'Scheme', maxPerBasePence: null }, null)).toEqual({});
	});
});

describe('accepting', () => {
	it('accepts an open offer, does nothing on a second acceptance, and refuses an offer that has ended or moved on', () => {
		expect(acceptOutcome('offered')).toEqual({ act: 'accept' });
		expect(acceptOutcome('accepted')).toEqual({ act: 'nothing' });
		expect(acceptOutcome('claimed')).toMatchObject({ act: 'refuse' });
		expect(acceptOutcome('withdrawn')).toEqual({ act: 'refuse', reason: 'This offer has been withdrawn, so it can no longer be accepted.' });
		expect(acceptOutcome('lapsed')).toMatchObject({ act: 'refuse' });
	});

	it('refuses a declaration that would take the setting past the minimal financial assistance limit', () => {
		expect(declarationProblems(305_000_00, 10_000_00)).toEqual({});
		expect(declarationProblems(305_000_01, 10_000_00).otherAssistancePence).toContain('£315,000.01');
	});
});

describe('claiming', () => {
	it('needs an accepted offer, evidence, and no more than the offer', () => {
		expect(claimProblems('accepted', { amountPence: 9_000_00, hasFile: true }, 9_000_00)).toEqual({});
		expect(claimProblems('offered', { amountPence: 1, hasFile: true }, 9_000_00)).toEqual({ amountPence: 'Accept the offer before claiming the grant.' });
		expect(claimProblems('accepted', { amountPence: 9_000_01, hasFile: false }, 9_000_00)).toEqual({
			amountPence: 'The grant offered is £9,000; you cannot claim more than that.',
			file: 'Attach evidence of spend (an invoice or receipt)'
		});
		expect(claimProblems('paid', { amountPence: 1, hasFile: true }, 9_000_00).amountPence).toBe('The grant is “paid”: it cannot be claimed now.');
	});
});

describe('the grant flow', () => {
	it('an offer can end (withdrawn or lapsed) before it is claimed, returning the application to assessment; not after', () => {
		expect(moveFor('grant', 'grant_offered', 'end_offer')).toEqual({ ok: true, to: 'in_assessment' });
		expect(moveFor('grant', 'grant_accepted', 'end_offer')).toEqual({ ok: true, to: 'in_assessment' });
		expect(moveFor('grant', 'claimed', 'end_offer').ok).toBe(false);
		expect(moveFor('scheme', 'agreement', 'end_offer').ok).toBe(false);
		expect(movesFrom('grant', 'claimed')).toEqual(['open']);
	});
});
