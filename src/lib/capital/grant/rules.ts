// Early years grant rules, pure: what an offer, an acceptance and a claim may be, given the line's
// hard cap, what the application asked for and the offer as it stands. The money itself (confirmed
// funding, a source's year, the line's allocation) is the money module's `commitmentProblems`,
// which the offer command asks under the same locks every commitment takes.
import { formatPence } from '$lib/format';
import { MINIMAL_ASSISTANCE_LIMIT_PENCE, type GrantStatus } from './model';

export interface OfferAsked {
	amountPence: number;
}

export interface LineCap {
	name: string;
	/** The line's hard maximum per base (the early years line's £10,000), or null for none. */
	maxPerBasePence: number | null;
}

/** Why an offer of this amount cannot be made under the line's cap, field by field; empty when it can. */
export function offerCapProblems(asked: OfferAsked, line: LineCap, requestedPence: number | null): Record<string, string> {
	if (line.maxPerBasePence !== null && asked.amountPence > line.maxPerBasePence) {
		return { amountPence: `${line.name} grants are at most ${formatPence(line.maxPerBasePence)} per base; ${formatPence(asked.amountPence)} is over that.` };
	}
	if (requestedPence !== null && asked.amountPence > requestedPence) {
		return { amountPence: `The setting asked for ${formatPence(requestedPence)}; the offer cannot be more than that.` };
	}
	return {};
}

/** What accepting does with the offer as it stands: accept it, nothing (already accepted: a double submit is harmless), or refuse. */
export function acceptOutcome(status: GrantStatus): { act: 'accept' } | { act: 'nothing' } | { act: 'refuse'; reason: string } {
	if (status === 'offered') return { act: 'accept' };
	if (status === 'accepted') return { act: 'nothing' };
	if (status === 'claimed' || status === 'paid') return { act: 'refuse', reason: 'This offer has already been accepted and claimed.' };
	return { act: 'refuse', reason: `This offer has been ${status}, so it can no longer be accepted.` };
}

/** Why the declaration cannot be accepted as made; empty when it can. */
export function declarationProblems(otherAssistancePence: number, amountPence: number): Record<string, string> {
	if (otherAssistancePence + amountPence > MINIMAL_ASSISTANCE_LIMIT_PENCE) {
		return {
			otherAssistancePence: `With this grant the setting would have received ${formatPence(otherAssistancePence + amountPence)} of minimal financial assistance, over the ${formatPence(MINIMAL_ASSISTANCE_LIMIT_PENCE)} limit. Contact the council before accepting.`
		};
	}
	return {};
}

/** Why a claim cannot be made as asked, field by field; empty when it can. */
export function claimProblems(status: GrantStatus, claim: { amountPence: number; hasFile: boolean }, offerPence: number): Record<string, string> {
	const problems: Record<string, string> = {};
	if (status !== 'accepted') {
		problems.amountPence = status === 'offered' ? 'Accept the offer before claiming the grant.' : `The grant is “${status}”: it cannot be claimed now.`;
		return problems;
	}
	if (claim.amountPence > offerPence) problems.amountPence = `The grant offered is ${formatPence(offerPence)}; you cannot claim more than that.`;
	if (!claim.hasFile) problems.file = 'Attach evidence of spend (an invoice or receipt)';
	return problems;
}
