// Inclusion-base capital as both ends see it: the words stored in its status and kind columns
// (the generated table types use these unions), and their labels. Plain constants, no zod, so a
// page can import them without shipping a schema library.

export const CAPITAL_PROCESSES = ['grant', 'rollout', 'scheme'] as const;
export type CapitalProcess = (typeof CAPITAL_PROCESSES)[number];
export const PROCESS_LABELS: Record<CapitalProcess, string> = {
	grant: 'Grant (short form, one assessor, grant letter)',
	rollout: 'Rollout (readiness and phasing, band chosen)',
	scheme: 'Scheme (competitive, scored, feasibility-led)'
};
export const PROCESS_SHORT: Record<CapitalProcess, string> = { grant: 'Grant', rollout: 'Rollout', scheme: 'Scheme' };

export const SOURCE_STATUSES = ['assumed', 'confirmed'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];
export const SOURCE_STATUS_LABELS: Record<SourceStatus, string> = { assumed: 'Assumed', confirmed: 'Confirmed' };

export const CAPITAL_ROUND_STATUSES = ['draft', 'open', 'closed'] as const;
export type CapitalRoundStatus = (typeof CAPITAL_ROUND_STATUSES)[number];
export const ROUND_STATUS_LABELS: Record<CapitalRoundStatus, string> = { draft: 'Draft', open: 'Open', closed: 'Closed' };

/** How a kind of setting is governed, which says who signs for it. */
export const GOVERNANCE_KINDS = ['maintained', 'academy', 'fe', 'pvi', 'childminder', 'other'] as const;
export type Governance = (typeof GOVERNANCE_KINDS)[number];

/** Who may sign for a setting, as its setting type lists them. */
export const SIGNATORIES = ['headteacher', 'governing_body', 'trust', 'principal', 'owner_manager', 'childminder'] as const;
export type Signatory = (typeof SIGNATORIES)[number];
export const SIGNATORY_LABELS: Record<Signatory, string> = {
	headteacher: 'the headteacher',
	governing_body: 'the governing body',
	trust: 'the trust',
	principal: 'the principal',
	owner_manager: 'the owner or manager',
	childminder: 'the childminder'
};

/** Amounts or figures by financial year, keyed by the year it starts ("2026" is 2026/27). */
export type YearFigures = Record<string, number>;

/** "2026" as "2026/27". */
export function financialYearLabel(startYear: number | string): string {
	const start = Number(startYear);
	return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The financial years the set-up forms offer a figure for. Years already held are always shown too. */
export const FORM_YEARS_FROM = 2025;
export const FORM_YEARS_TO = 2031;

export function formYears(held: readonly (string | number)[] = []): number[] {
	const years = new Set<number>();
	for (let year = FORM_YEARS_FROM; year <= FORM_YEARS_TO; year++) years.add(year);
	for (const year of held) if (/^\d{4}$/.test(String(year))) years.add(Number(year));
	return [...years].sort((a, b) => a - b);
}

/** The room every capital set-up page follows. */
export const PROGRAMME_ROOM_ID = 1;
