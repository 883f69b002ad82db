// Pure rules for pooled-funding bids: money, the life cycle and endorsement thresholds (what a
// submission needs is declared with its sections in `./document`). No database here, so every
// rule has unit tests of its own.
import type { BidStatus, EndorsementRule } from './model';

// ---------- Money: integer pence only ----------

/** The most any single figure may be: £100m, far above any cluster pot, well inside 2^53 pence. */
export const MAX_PENCE = 100_000_000_00;

/**
 * Reads an amount typed in pounds ("1,250", "£1250.50") as whole pence, without floating
 * point. Returns an error message for people when it is not a plain amount, naming the field
 * when given its label ("Enter the pot", "Pot must be £0 or more").
 */
export function parsePounds(input: string, label?: string): { ok: true; pence: number } | { ok: false; message: string } {
	const name = label ?? 'Amount';
	const cleaned = input.trim().replace(/^£/, '').replaceAll(',', '').trim();
	const notAmount = label
		? `${label} must be an amount in pounds, like 1250 or 1250.50`
		: 'Enter an amount in pounds, like 1250 or 1250.50';
	if (cleaned === '') return { ok: false, message: label ? `Enter the ${label.charAt(0).toLowerCase()}${label.slice(1)}` : notAmount };
	if (cleaned.startsWith('-')) return { ok: false, message: `${name} must be £0 or more` };
	const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
	if (!match) return { ok: false, message: notAmount };
	const pounds = Number(match[1]);
	const pennies = Number((match[2] ?? '').padEnd(2, '0'));
	const pence = pounds * 100 + pennies;
	if (pence > MAX_PENCE) return { ok: false, message: `${name} must be £100,000,000 or less` };
	return { ok: true, pence };
}

/** Pence as a pounds string for form fields ("1250.50"; whole pounds without decimals). */
export function penceToPoundsInput(pence: number): string {
	const pounds = Math.trunc(pence / 100);
	const rest = pence % 100;
	return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, '0')}`;
}

export function sumPence(values: readonly number[]): number {
	let total = 0;
	for (const value of values) {
		if (!Number.isSafeInteger(value)) throw new RangeError('money must be whole pence');
		total += value;
	}
	return total;
}

/** Can the round afford this approval? The database re-checks under a row lock. */
export function approvalFits(potPence: number, approvedPence: number, amountPence: number): boolean {
	return amountPence > 0 && approvedPence + amountPence <= potPence;
}

// ---------- Life cycle ----------

export type BidAction =
	| 'submit'
	| 'endorsementComplete'
	| 'approve'
	| 'decline'
	| 'return'
	| 'fund'
	| 'close'
	| 'withdraw';

const TRANSITIONS: Record<BidAction, { from: readonly BidStatus[]; to: BidStatus }> = {
	submit: { from: ['draft'], to: 'endorsement' },
	endorsementComplete: { from: ['endorsement'], to: 'review' },
	approve: { from: ['review'], to: 'approved' },
	decline: { from: ['review'], to: 'declined' },
	return: { from: ['endorsement', 'review'], to: 'draft' },
	fund: { from: ['approved'], to: 'funded' },
	close: { from: ['funded'], to: 'closed' },
	withdraw: { from: ['draft', 'endorsement', 'review'], to: 'withdrawn' }
};

const ACTION_WORDS: Record<BidAction, string> = {
	submit: 'submitted',
	endorsementComplete: 'passed to officers',
	approve: 'approved',
	decline: 'declined',
	return: 'returned for changes',
	fund: 'marked as funded',
	close: 'closed',
	withdraw: 'withdrawn'
};

export function nextStatus(from: BidStatus, action: BidAction): { ok: true; to: BidStatus } | { ok: false; message: string } {
	const rule = TRANSITIONS[action];
	if (rule.from.includes(from)) return { ok: true, to: rule.to };
	return { ok: false, message: `A bid that is ${statusWords(from)} cannot be ${ACTION_WORDS[action]}.` };
}

function statusWords(status: BidStatus): string {
	switch (status) {
		case 'draft':
			return 'still a draft';
		case 'endorsement':
			return 'awaiting cluster endorsement';
		case 'review':
			return 'with council officers';
		default:
			return status;
	}
}

// ---------- Endorsement ----------

/**
 * How many endorsing settings the round's rule asks for, out of the settings that may endorse: the
 * cluster's settings outside the bid (its lead and partners have no say in their own bid). With no
 * such setting nobody can endorse, so none is needed: the bid goes straight to the officers, and
 * that is recorded (see `submitBid`). Never more than there are settings to ask.
 */
export function endorsementsNeeded(rule: EndorsementRule, value: number, eligibleCount: number): number {
	if (eligibleCount <= 0) return 0;
	switch (rule) {
		case 'majority':
			return Math.floor(eligibleCount / 2) + 1;
		case 'percentage':
			return Math.min(eligibleCount, Math.max(1, Math.ceil((eligibleCount * value) / 100)));
		case 'count':
			return Math.max(1, Math.min(value, eligibleCount));
	}
}

export function endorsementMet(rule: EndorsementRule, value: number, eligibleCount: number, endorsing: number): boolean {
	return endorsing >= endorsementsNeeded(rule, value, eligibleCount);
}

/** "2 of 5 other settings must endorse", or why none can. */
export function endorsementNeedWords(needed: number, eligibleCount: number): string {
	if (eligibleCount === 0) {
		return 'No other settings in this cluster can endorse, so a submitted bid goes straight to council officers';
	}
	return `${needed} of ${eligibleCount} other ${eligibleCount === 1 ? 'setting' : 'settings'} must endorse`;
}
