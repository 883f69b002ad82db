// Inclusion-base capital, the money, as both ends see it: the words stored in its kind and status
// columns (the generated table types use these unions) and their labels. Plain constants.

/** A plan can be made against any source; only a commitment holds money, and only a confirmed source's. */
export const COMMITMENT_KINDS = ['planned', 'committed'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];
export const COMMITMENT_KIND_LABELS: Record<CommitmentKind, string> = { planned: 'Planned', committed: 'Committed' };

export const TRANSFER_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const TRANSFER_STATUS_LABELS: Record<TransferStatus, string> = { proposed: 'Waiting for approval', approved: 'Approved', rejected: 'Turned down' };

/** School terms, in the order they fall in an academic year. */
export const SCHOOL_TERMS = ['autumn', 'spring', 'summer'] as const;
export type SchoolTerm = (typeof SCHOOL_TERMS)[number];
export const TERM_LABELS: Record<SchoolTerm, string> = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

/** "Autumn 2026/27". */
export function termLabel(year: number, term: SchoolTerm): string {
	return `${TERM_LABELS[term]} ${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/** The financial year (April to March, by the year it starts) a date falls in: 2027-03-31 is 2026. */
export function financialYearOf(isoDate: string): number {
	const [year, month] = isoDate.split('-').map(Number);
	return month >= 4 ? year : year - 1;
}
