import { z } from 'zod';
import { PAPER_DESCRIPTION_MAX, PAPER_PARTIES, STATEMENT_TEXT_MAX } from '$lib/disputes/papers';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';

// What an officer records, uploads and shares as a case's positions and papers, shared by the
// commands, the forms and the tests.

const text = (label: string, max: number) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const caseId = whole(idSchema());
const party = z.enum(PAPER_PARTIES, { error: 'Choose whose this is: the family’s or the school’s' });

/** A statement save: the version the officer started from (0 when none was recorded yet). */
export const statementSchema = z
	.object({
		caseId,
		party,
		version: whole(versionSchema()),
		partyText: text('The statement', STATEMENT_TEXT_MAX).min(1, 'Enter the statement as the party gave it'),
		redactedText: text('The redacted statement', STATEMENT_TEXT_MAX)
	});

export const shareStatementSchema = z.object({ caseId, party, version: whole(versionSchema()) });

export const paperFieldsSchema = z.object({
	caseId,
	party,
	description: text('What it is', PAPER_DESCRIPTION_MAX).default('')
});

/** Sharing a paper: the officer confirms the copy has third parties redacted. */
export const sharePaperSchema = z.object({
	caseId,
	paperId: whole(idSchema()),
	redactionChecked: z.literal(true, { error: 'Confirm that third parties are redacted in this paper' })
});

/** Replacing a paper with a new version (the file comes beside it, checked like any upload). */
export const replacePaperSchema = z.object({
	caseId,
	paperId: whole(idSchema()),
	description: text('What it is', PAPER_DESCRIPTION_MAX).default('')
});

/** Withdrawing a paper or a statement before the panel meets. */
export const withdrawPaperSchema = z.object({ caseId, paperId: whole(idSchema()) });
export const withdrawStatementSchema = z.object({ caseId, party, version: whole(versionSchema()) });
