import { sql } from 'kysely';
import { fileTypeFromBuffer } from 'file-type';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { cleanFileName } from '../capital/applications/commands/files';
import { paperFieldsSchema, replacePaperSchema, shareStatementSchema, sharePaperSchema, statementSchema, withdrawPaperSchema, withdrawStatementSchema } from '$lib/schemas/dispute-papers';
import { PAPER_MAX_BYTES, PAPER_PARTY_LABELS, PAPER_TYPES, type PaperParty, type PaperType } from '$lib/disputes/papers';
import type { CaseStatus } from '$lib/disputes/model';
import { caseRef } from './cases';
import type { DisputeCaseRef } from './policy';

// Each party's position statement and papers. The SENDIASS officer records them on the party's
// behalf (the text as the party gave it), prepares a copy with third parties redacted, and shares
// it once both parties have agreed to take part; only shared, redacted items reach the booked
// panel. Each step is one transaction under the case's row lock, asks the policy on what it
// locked, and is recorded on the case's timeline naming the case by reference only. Every look
// and download, a refusal too, goes in the case's access log.

const ENDED: readonly CaseStatus[] = ['closed', 'withdrawn', 'routed_out'];
/** Statuses after the panel's meeting: what it read is what the outcome rests on, so papers are frozen. */
const AFTER_MEETING: readonly CaseStatus[] = ['met', 'outcome'];
const partyWords = (party: PaperParty) => (party === 'family' ? 'the family’s' : 'the school’s');

async function logView(db: Database, caseId: number, viewerId: number | null, what: string, refusal: string | null): Promise<void> {
	await db.insertInto('dispute_case_view').values({ case_id: caseId, viewer_id: viewerId, what, allowed: refusal === null, reason: refusal }).execute();
}

function refuseIfEnded(row: { status: CaseStatus; anonymised_at: Date | null }) {
	if (row.anonymised_at) throw invalid('This case has been anonymised, so its papers have been removed.');
	if (ENDED.includes(row.status)) throw invalid('This case has ended, so its statements and papers can no longer change.');
}

/** When the case's booked meeting starts (null when none is booked). */
async function bookedStart(db: Database | Work['trx'], caseId: number): Promise<Date | null> {
	const slot = await db
		.selectFrom('dispute_poll as p')
		.innerJoin('dispute_slot as s', 's.id', 'p.booked_slot_id')
		.select('s.starts_at')
		.where('p.case_id', '=', caseId)
		.executeTakeFirst();
	return slot?.starts_at ?? null;
}

/** Why the papers can no longer change because the panel has met (or its meeting has begun), or null. */
function meetingRefusal(status: CaseStatus, startsAt: Date | null, now: Date): string | null {
	if (AFTER_MEETING.includes(status)) return 'The panel has met, so the statements and papers are frozen as the panel read them.';
	if (startsAt && startsAt <= now) {
		const when = startsAt.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });
		return `The panel meeting began on ${when}, so the statements and papers are frozen as the panel read them.`;
	}
	return null;
}

/** Statements and papers change only until the panel meets (and while the case is open). */
async function refuseIfFrozen(trx: Work['trx'], row: { id: number; status: CaseStatus; anonymised_at: Date | null }, now: Date) {
	refuseIfEnded(row);
	const refusal = meetingRefusal(row.status, await bookedStart(trx, row.id), now);
	if (refusal) throw invalid(refusal);
}

/** Nothing is shared with the other side or the panel before both parties agreed to take part. */
function refuseIfNotAgreed(row: { family_agreed_at: Date | null; setting_agreed_at: Date | null }) {
	if (row.family_agreed_at === null || row.setting_agreed_at === null) {
		throw invalid('Both parties must agree to take part before anything is shared. Record their agreement on the case page first.');
	}
}

/** The booked members who may read the case now: told when something is shared with them. */
const panelToTell = (ref: DisputeCaseRef) => (ref.panelWindowOpen ? ref.bookedMemberIds.filter((id) => !ref.conflictedMemberIds.includes(id)) : []);

/**
 * The officer saves a party's statement (as given, and the redacted copy) against the version they
 * started from: a stale save is refused, not merged. A change to a shared statement takes it back
 * from the panel until the redacted copy is checked and shared again.
 */
export async function saveStatement(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ version: number; unshared: boolean }> {
	const input = parseInput(statementSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		await refuseIfFrozen(work.trx, row, now);
		const existing = await work.trx.selectFrom('dispute_statement').selectAll().where('case_id', '=', row.id).where('party', '=', input.party).forUpdate().executeTakeFirst();
		const current = existing?.version ?? 0;
		if (current !== input.version) {
			throw conflict(`Someone else saved ${partyWords(input.party)} statement while you were writing. Your text has not been saved: check the statement as it is now, then make your change again.`);
		}
		if (existing && existing.party_text === input.partyText && existing.redacted_text === input.redactedText) return { version: existing.version, unshared: false };
		const unshared = existing?.shared_at != null;
		let version: number;
		if (existing) {
			const updated = await work.trx
				.updateTable('dispute_statement')
				.set((eb) => ({ party_text: input.partyText, redacted_text: input.redactedText, shared_at: null, shared_by: null, recorded_by: actor!.id, updated_at: new Date(), version: eb('version', '+', 1) }))
				.where('id', '=', existing.id)
				.returning('version')
				.executeTakeFirstOrThrow();
			version = updated.version;
		} else {
			const inserted = await work.trx
				.insertInto('dispute_statement')
				.values({ case_id: row.id, party: input.party, party_text: input.partyText, redacted_text: input.redactedText, recorded_by: actor!.id })
				.returning('version')
				.executeTakeFirstOrThrow();
			version = inserted.version;
		}
		await work.record({
			action: 'disputes.statement_saved',
			subject: { type: 'dispute_case', id: row.id },
			summary: `${existing ? 'Changed' : 'Recorded'} ${partyWords(input.party)} position statement on ${row.reference}${unshared ? '; it is no longer shared until it is checked and shared again' : ''}`,
			detail: { party: input.party, version, redactedPrepared: input.redactedText.length > 0 }
		});
		return { version, unshared };
	});
}

/** The officer shares a statement's redacted copy (once both parties agreed); sharing it again changes nothing. */
export async function shareStatement(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ alreadyShared: boolean }> {
	const input = parseInput(shareStatementSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		await refuseIfFrozen(work.trx, row, now);
		refuseIfNotAgreed(row);
		const statement = await work.trx.selectFrom('dispute_statement').selectAll().where('case_id', '=', row.id).where('party', '=', input.party).forUpdate().executeTakeFirst();
		if (!statement) throw invalid(`Record ${partyWords(input.party)} statement before sharing it.`);
		if (statement.shared_at && statement.version === input.version) return { alreadyShared: true };
		if (statement.version !== input.version) throw conflict(`Someone else changed ${partyWords(input.party)} statement since you opened it. Check the redacted text as it is now before sharing it.`);
		if (!statement.redacted_text.trim()) throw invalid('Prepare the redacted statement (third parties removed) before sharing it.', { redactedText: ['Enter the redacted statement before sharing it'] });
		await work.trx.updateTable('dispute_statement').set({ shared_at: new Date(), shared_by: actor!.id }).where('id', '=', statement.id).execute();
		await work.record({
			action: 'disputes.statement_shared',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Shared ${partyWords(input.party)} position statement on ${row.reference}, third parties redacted`,
			detail: { party: input.party },
			notify: { userIds: panelToTell(ref), title: `A position statement was shared on ${row.reference}`, link: `/disputes/${row.id}/papers`, kind: 'disputes.papers' }
		});
		return { alreadyShared: false };
	});
}

/** The allowed type the content is, or why it is refused (read from its bytes, never the name). */
export async function sniffPaper(content: Uint8Array): Promise<{ ok: true; mediaType: PaperType } | { ok: false; message: string }> {
	if (content.byteLength === 0) return { ok: false, message: 'The selected file is empty' };
	if (content.byteLength > PAPER_MAX_BYTES) return { ok: false, message: `The selected file must be smaller than ${PAPER_MAX_BYTES / 1024 / 1024} MB` };
	const found = await fileTypeFromBuffer(content);
	const mediaType = found && Object.hasOwn(PAPER_TYPES, found.mime) ? (found.mime as PaperType) : null;
	if (!mediaType) return { ok: false, message: 'The selected file must be a PDF, Word document, PNG or JPEG' };
	return { ok: true, mediaType };
}

export interface PostedPaper {
	name: string;
	content: Uint8Array;
}

/** The posted file with its type, or a field error (nothing chosen, empty, too large, not an allowed type). */
async function checkedFile(file: PostedPaper | null): Promise<PostedPaper & { mediaType: PaperType }> {
	if (!file) throw invalid('Choose a file.', { file: ['Select a file to upload'] });
	const sniffed = await sniffPaper(file.content);
	if (!sniffed.ok) throw invalid(sniffed.message, { file: [sniffed.message] });
	return { ...file, mediaType: sniffed.mediaType };
}

/** Keeps a checked file as a party's paper, not redacted or shared yet; its id. */
async function insertPaper(trx: Work['trx'], caseId: number, party: PaperParty, description: string, file: PostedPaper & { mediaType: PaperType }, uploadedBy: number): Promise<number> {
	const { id } = await trx
		.insertInto('dispute_paper')
		.values({
			case_id: caseId,
			party,
			name: cleanFileName(file.name),
			media_type: file.mediaType,
			size_bytes: file.content.byteLength,
			description,
			content: Buffer.from(file.content),
			uploaded_by: uploadedBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * The paper a write changes, read under the lock that write takes (after the case's). One already
 * replaced or withdrawn by someone else is refused with who did it and when, not as a bare 404.
 */
async function lockedPaper(trx: Work['trx'], caseId: number, paperId: number) {
	const paper = await trx.selectFrom('dispute_paper').select(['id', 'party', 'shared_at']).where('id', '=', paperId).where('case_id', '=', caseId).forUpdate().executeTakeFirst();
	if (paper) return paper;
	const gone = await trx
		.selectFrom('audit_log as a')
		.leftJoin('app_user as u', 'u.id', 'a.actor_id')
		.select(['a.action', 'a.created_at', 'u.name'])
		.where('a.subject_type', '=', 'dispute_case')
		.where('a.subject_id', '=', caseId)
		.where('a.action', 'in', ['disputes.paper_replaced', 'disputes.paper_withdrawn'])
		.where(sql<boolean>`a.detail @> ${JSON.stringify({ paperId })}::jsonb`)
		.orderBy('a.id', 'desc')
		.executeTakeFirst();
	if (!gone) throw notFound('That paper');
	const what = gone.action === 'disputes.paper_replaced' ? 'replaced it with a new version' : 'withdrew it';
	const when = gone.created_at.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });
	throw conflict(`${gone.name ?? 'Someone else'} ${what} on ${when}, so this paper is no longer on the case. Check the papers as they are now.`);
}

/** The officer uploads a paper for a party. It is not shared until an officer checks its redaction and shares it. */
export async function uploadPaper(db: Database, actor: Actor | null, raw: unknown, file: PostedPaper | null, now = new Date()): Promise<{ id: number }> {
	const input = parseInput(paperFieldsSchema, raw);
	const checked = await checkedFile(file);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		await refuseIfFrozen(work.trx, row, now);
		const id = await insertPaper(work.trx, row.id, input.party, input.description, checked, actor!.id);
		await work.record({
			action: 'disputes.paper_added',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Added a paper from ${partyWords(input.party).replace(/’s$/, '')} to ${row.reference} (${PAPER_TYPES[checked.mediaType]}, not yet shared)`,
			detail: { paperId: id, party: input.party }
		});
		return { id };
	});
}

/** The officer marks a paper redacted and shares it (once both parties agreed); sharing it again changes nothing. */
export async function sharePaper(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ alreadyShared: boolean }> {
	const input = parseInput(sharePaperSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		const paper = await lockedPaper(work.trx, row.id, input.paperId);
		if (paper.shared_at) return { alreadyShared: true };
		await refuseIfFrozen(work.trx, row, now);
		refuseIfNotAgreed(row);
		await work.trx.updateTable('dispute_paper').set({ redacted: true, shared_at: new Date(), shared_by: actor!.id }).where('id', '=', paper.id).execute();
		await work.record({
			action: 'disputes.paper_shared',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Shared a paper from ${partyWords(paper.party).replace(/’s$/, '')} on ${row.reference}, third parties redacted`,
			detail: { paperId: paper.id, party: paper.party },
			notify: { userIds: panelToTell(ref), title: `A paper was shared on ${row.reference}`, link: `/disputes/${row.id}/papers`, kind: 'disputes.papers' }
		});
		return { alreadyShared: false };
	});
}

/**
 * The officer, acting for the party, replaces a paper with a new version before the panel meets. The
 * new version is checked like any upload and is not shared until an officer checks its redaction
 * and shares it, as the first was; the earlier version is removed, so neither the other side nor
 * the panel sees it again. The timeline says who replaced which paper and when, never its content.
 */
export async function replacePaper(db: Database, actor: Actor | null, raw: unknown, file: PostedPaper | null, now = new Date()): Promise<{ id: number }> {
	const input = parseInput(replacePaperSchema, raw);
	const checked = await checkedFile(file);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		const earlier = await lockedPaper(work.trx, row.id, input.paperId);
		await refuseIfFrozen(work.trx, row, now);
		const id = await insertPaper(work.trx, row.id, earlier.party, input.description, checked, actor!.id);
		await work.trx.deleteFrom('dispute_paper').where('id', '=', earlier.id).execute();
		const wasShared = earlier.shared_at !== null;
		await work.record({
			action: 'disputes.paper_replaced',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Replaced a paper from ${partyWords(earlier.party).replace(/’s$/, '')} on ${row.reference} with a new version (${PAPER_TYPES[checked.mediaType]}, not yet shared)${wasShared ? '; the earlier version is no longer shared' : ''}`,
			detail: { paperId: earlier.id, replacedBy: id, party: earlier.party, wasShared },
			notify: wasShared ? { userIds: panelToTell(ref), title: `A paper was replaced on ${row.reference}`, link: `/disputes/${row.id}/papers`, kind: 'disputes.papers' } : undefined
		});
		return { id };
	});
}

/**
 * The officer, acting for the party, withdraws a paper before the panel meets: it is removed, so
 * neither the other side nor the panel sees it again; the timeline keeps who withdrew which and when.
 */
export async function withdrawPaper(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ withdrawn: true }> {
	const input = parseInput(withdrawPaperSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		const paper = await lockedPaper(work.trx, row.id, input.paperId);
		await refuseIfFrozen(work.trx, row, now);
		await work.trx.deleteFrom('dispute_paper').where('id', '=', paper.id).execute();
		const wasShared = paper.shared_at !== null;
		await work.record({
			action: 'disputes.paper_withdrawn',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Withdrew a paper from ${partyWords(paper.party).replace(/’s$/, '')} on ${row.reference}${wasShared ? '; the panel no longer sees it' : ''}`,
			detail: { paperId: paper.id, party: paper.party, wasShared },
			notify: wasShared ? { userIds: panelToTell(ref), title: `A paper was withdrawn on ${row.reference}`, link: `/disputes/${row.id}/papers`, kind: 'disputes.papers' } : undefined
		});
		return { withdrawn: true };
	});
}

/**
 * The officer, acting for the party, withdraws its position statement before the panel meets,
 * against the version they saw (a statement changed since is refused, not withdrawn unseen).
 */
export async function withdrawStatement(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ withdrawn: true }> {
	const input = parseInput(withdrawStatementSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.papers.manage', case: ref });
		const statement = await work.trx.selectFrom('dispute_statement').select(['id', 'version', 'shared_at']).where('case_id', '=', row.id).where('party', '=', input.party).forUpdate().executeTakeFirst();
		if (!statement) throw notFound(`${PAPER_PARTY_LABELS[input.party]}’s statement`);
		await refuseIfFrozen(work.trx, row, now);
		if (statement.version !== input.version) throw conflict(`Someone else changed ${partyWords(input.party)} statement since you opened it. Check it as it is now before withdrawing it.`);
		await work.trx.deleteFrom('dispute_statement').where('id', '=', statement.id).execute();
		const wasShared = statement.shared_at !== null;
		await work.record({
			action: 'disputes.statement_withdrawn',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Withdrew ${partyWords(input.party)} position statement on ${row.reference}${wasShared ? '; the panel no longer sees it' : ''}`,
			detail: { party: input.party, version: statement.version, wasShared },
			notify: wasShared ? { userIds: panelToTell(ref), title: `A position statement was withdrawn on ${row.reference}`, link: `/disputes/${row.id}/papers`, kind: 'disputes.papers' } : undefined
		});
		return { withdrawn: true };
	});
}

export interface StatementView {
	party: PaperParty;
	version: number;
	/** As the party gave it: officers only (null for the panel). */
	partyText: string | null;
	redactedText: string;
	sharedAt: Date | null;
	updatedAt: Date;
}

export interface PaperView {
	id: number;
	party: PaperParty;
	name: string;
	mediaType: string;
	typeLabel: string;
	sizeBytes: number;
	description: string;
	redacted: boolean;
	sharedAt: Date | null;
	uploadedAt: Date;
}

export interface PapersView {
	id: number;
	reference: string;
	status: CaseStatus;
	district: { id: number; name: string };
	/** Whether this person records, redacts and shares (the district's SENDIASS officers). */
	manages: boolean;
	bothAgreed: boolean;
	/** Whether statements and papers can still change (the case has not ended or been anonymised). */
	open: boolean;
	/** Why they can no longer change although the case is open (the panel has met), or null. */
	frozen: string | null;
	anonymised: boolean;
	statements: StatementView[];
	papers: PaperView[];
}

/** Papers listed on the page; a case holds few. */
export const PAPERS_SHOWN = 100;

/**
 * Opens a case's positions and papers for this person, logging the look (a refusal too): officers
 * see everything, the booked panel only what was redacted and shared.
 */
export async function openPapers(db: Database, actor: Actor | null, caseId: number, now = new Date()): Promise<PapersView> {
	const { row, ref } = await caseRef(db, caseId);
	const decision = can(actor, { action: 'disputes.papers.view', case: ref });
	await logView(db, row.id, actor?.id ?? null, 'positions and papers', decision.allowed ? null : decision.reason);
	if (!decision.allowed) throw forbidden(decision.reason);
	const manages = can(actor, { action: 'disputes.papers.manage', case: ref }).allowed;
	let statements = db.selectFrom('dispute_statement').selectAll().where('case_id', '=', row.id).orderBy('party');
	let papers = db
		.selectFrom('dispute_paper')
		.select(['id', 'party', 'name', 'media_type', 'size_bytes', 'description', 'redacted', 'shared_at', 'uploaded_at'])
		.where('case_id', '=', row.id)
		.orderBy('id')
		.limit(PAPERS_SHOWN);
	if (!manages) {
		statements = statements.where('shared_at', 'is not', null);
		papers = papers.where('shared_at', 'is not', null);
	}
	const [statementRows, paperRows, startsAt] = await Promise.all([statements.execute(), papers.execute(), bookedStart(db, row.id)]);
	return {
		id: row.id,
		reference: row.reference,
		status: row.status,
		district: ref.district,
		manages,
		bothAgreed: row.family_agreed_at !== null && row.setting_agreed_at !== null,
		open: !row.anonymised_at && !ENDED.includes(row.status),
		frozen: meetingRefusal(row.status, startsAt, now),
		anonymised: row.anonymised_at !== null,
		statements: statementRows.map((s) => ({ party: s.party, version: s.version, partyText: manages ? s.party_text : null, redactedText: s.redacted_text, sharedAt: s.shared_at, updatedAt: s.updated_at })),
		papers: paperRows.map((p) => ({
			id: p.id,
			party: p.party,
			name: p.name,
			mediaType: p.media_type,
			typeLabel: Object.hasOwn(PAPER_TYPES, p.media_type) ? PAPER_TYPES[p.media_type as PaperType] : 'File',
			sizeBytes: p.size_bytes,
			description: p.description,
			redacted: p.redacted,
			sharedAt: p.shared_at,
			uploadedAt: p.uploaded_at
		}))
	};
}

/** One paper's content for download, if the policy lets this person open it; the download (or refusal) is logged. */
export async function downloadPaper(db: Database, actor: Actor | null, caseId: number, paperId: number) {
	const { row, ref } = await caseRef(db, caseId);
	const paper = await db.selectFrom('dispute_paper').select(['id', 'party', 'name', 'media_type', 'size_bytes', 'shared_at', 'content']).where('id', '=', paperId).where('case_id', '=', row.id).executeTakeFirst();
	const decision = can(actor, { action: 'disputes.paper.open', case: ref, shared: paper?.shared_at != null });
	await logView(db, row.id, actor?.id ?? null, `paper ${paperId} (download)`, decision.allowed ? null : decision.reason);
	if (!decision.allowed) throw forbidden(decision.reason);
	if (!paper) throw notFound('That paper');
	return { ...paper, partyLabel: PAPER_PARTY_LABELS[paper.party] };
}
