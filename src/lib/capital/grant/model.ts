// Early years grants after the decision, as both ends see them: the offer's statuses and their
// labels, the conditions a letter carries by default, and the subsidy-control declaration the
// setting's signatory makes when accepting. Plain constants, no zod.

export const GRANT_STATUSES = ['offered', 'accepted', 'claimed', 'paid', 'withdrawn', 'lapsed'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export const GRANT_STATUS_LABELS: Record<GrantStatus, string> = {
	offered: 'Offered, waiting for acceptance',
	accepted: 'Accepted, waiting for the claim',
	claimed: 'Claimed, waiting for approval',
	paid: 'Paid',
	withdrawn: 'Withdrawn',
	lapsed: 'Lapsed'
};

/** An offer still in play: one of these at most per application. */
export const LIVE_GRANT_STATUSES: readonly GrantStatus[] = ['offered', 'accepted', 'claimed'];

/** How an offer ends before it is paid. */
export const GRANT_ENDINGS = ['withdrawn', 'lapsed'] as const;
export type GrantEnding = (typeof GRANT_ENDINGS)[number];

export const DEFAULT_GRANT_CONDITIONS = [
	'The grant is spent only on the early years support base described in the application.',
	'The setting keeps the base open for the places described for at least three years, or repays the grant in proportion.',
	'The setting claims the grant with evidence of spend (invoices or receipts) within twelve months of accepting this offer.',
	'The setting keeps records of the spend for six years and shows them to the council on request.'
].join('\n');

/** The subsidy-control declaration (Subsidy Control Act 2022, minimal financial assistance). */
export const SUBSIDY_DECLARATION =
	'I declare that, including this grant, the setting has not received more than £315,000 of minimal financial assistance (and other subsidies under the Act’s threshold) in the current and previous two financial years, and that I will tell the council if this changes before the grant is paid.';

/** What the signatory declares on acceptance, kept with the offer. */
export interface GrantDeclaration {
	text: string;
	/** Other minimal financial assistance the setting has received in the period, in pence. */
	otherAssistancePence: number;
	letterVersion: number;
}

export const MINIMAL_ASSISTANCE_LIMIT_PENCE = 315_000_00;
