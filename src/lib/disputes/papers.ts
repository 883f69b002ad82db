// Positions and papers on a dispute case: plain constants and types the pages and the server share.

/** Whose side a statement or paper comes from (the same two parties that agree to take part). */
export const PAPER_PARTIES = ['family', 'setting'] as const;
export type PaperParty = (typeof PAPER_PARTIES)[number];
export const PAPER_PARTY_LABELS: Record<PaperParty, string> = { family: 'The family', setting: 'The school or setting' };

/** Papers are kept in the database, so they stay small. */
export const PAPER_MAX_BYTES = 5 * 1024 * 1024;
/** The types a paper may be, read from its first bytes. */
export const PAPER_TYPES = {
	'application/pdf': 'PDF',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
	'image/png': 'PNG image',
	'image/jpeg': 'JPEG image'
} as const;
export type PaperType = keyof typeof PAPER_TYPES;

export const STATEMENT_TEXT_MAX = 10_000;
export const PAPER_DESCRIPTION_MAX = 300;
