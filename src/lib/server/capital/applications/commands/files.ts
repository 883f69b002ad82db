import { fileTypeFromBuffer } from 'file-type';
import type { Database } from '../../../db';
import type { Actor } from '../../../auth/actor';
import { transact } from '../../../work';
import { invalid, notFound } from '../../../errors';
import { assertCan, can } from '../../../policy';
import { parseInput } from '../../../input';
import { FILE_MAX_BYTES, FILE_TYPES, type EvidenceType } from '$lib/capital/applications/model';
import { fileUploadFieldsSchema } from '$lib/schemas/capital-applications';
import { loadApplication, lockApplication } from '../access';
import type { FileViewer } from '../policy';
import { changedEvent } from './writing';

// Evidence files kept in PostgreSQL: the type is read from the content's first bytes (never the
// name or the browser's word), so a renamed program, a web page or an SVG with script is refused.
// Served only through the policy, as an attachment, and each download is logged.

const isEvidenceType = (mime: string): mime is EvidenceType => Object.hasOwn(FILE_TYPES, mime);
const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The allowed type the content is, or why it is refused. Pure apart from reading the bytes. */
export async function sniffEvidence(content: Uint8Array): Promise<{ ok: true; mediaType: EvidenceType } | { ok: false; message: string }> {
	if (content.byteLength === 0) return { ok: false, message: 'The selected file is empty' };
	if (content.byteLength > FILE_MAX_BYTES) return { ok: false, message: `The selected file must be smaller than ${megabytes(FILE_MAX_BYTES)}` };
	const found = await fileTypeFromBuffer(content);
	const mediaType = found && isEvidenceType(found.mime) ? found.mime : null;
	if (!mediaType) {
		return { ok: false, message: `The selected file must be a ${Object.values(FILE_TYPES).join(', ').replace(/, ([^,]*)$/, ' or $1')}` };
	}
	return { ok: true, mediaType };
}

/** A file's name as stored: its last path part, without control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
	const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
	return (base || 'evidence').slice(0, 200);
}

export async function uploadEvidence(
	db: Database,
	actor: Actor,
	raw: unknown,
	file: { name: string; content: Uint8Array } | null
): Promise<{ id: number; sensitive: boolean }> {
	const input = parseInput(fileUploadFieldsSchema, raw);
	if (!file) throw invalid('Choose a file.', { file: ['Select a file to upload'] });
	const sniffed = await sniffEvidence(file.content);
	if (!sniffed.ok) throw invalid(sniffed.message, { file: [sniffed.message] });
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.edit', application: ref });
		const name = cleanFileName(file.name);
		const { id } = await work.trx
			.insertInto('capital_application_file')
			.values({
				application_id: row.id,
				name,
				media_type: sniffed.mediaType,
				size_bytes: file.content.byteLength,
				sensitive: input.sensitive,
				description: input.description,
				content: Buffer.from(file.content),
				uploaded_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'capital.application_file_added',
			subject: { type: 'capital_application', id: row.id },
			summary: `Added the file ${name}${input.sensitive ? ' (safeguarding-sensitive: officers and assessors only)' : ''}`,
			detail: { fileId: id, sensitive: input.sensitive },
			events: changedEvent(row, row.version, null)
		});
		return { id, sensitive: input.sensitive };
	});
}

/** One file's content for download, if the policy lets this person open it; the look is logged. */
export async function downloadEvidence(db: Database, actor: Actor, applicationId: number, fileId: number) {
	const { ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.application.view', application: ref });
	const file = await db
		.selectFrom('capital_application_file')
		.select(['id', 'name', 'media_type', 'size_bytes', 'sensitive', 'content'])
		.where('id', '=', fileId)
		.where('application_id', '=', applicationId)
		.executeTakeFirst();
	if (!file) throw notFound('That file');
	assertCan(actor, { action: 'capital.application.file', application: ref, file, viewer: await fileViewer(db, actor, applicationId) });
	await db.insertInto('capital_file_download').values({ file_id: file.id, user_id: actor.id }).execute();
	return file;
}

/** The asking person's declared conflict in the application, if any: it closes its sensitive files to them. */
async function fileViewer(db: Database, actor: Actor, applicationId: number): Promise<FileViewer> {
	const declared = await db
		.selectFrom('capital_declaration')
		.select('conflict')
		.where('application_id', '=', applicationId)
		.where('user_id', '=', actor.id)
		.where('conflict', '<>', 'none')
		.executeTakeFirst();
	return { declaredConflict: declared !== undefined };
}

/**
 * The files listed on the application: a sensitive file is listed only to those who may open it,
 * and to the applicant's own staff (who see it is held). `withheld` says why any were left out.
 */
export async function evidenceList(db: Database, actor: Actor, applicationId: number) {
	const { ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.application.view', application: ref });
	const viewer = await fileViewer(db, actor, applicationId);
	const rows = await db
		.selectFrom('capital_application_file as f')
		.innerJoin('app_user as u', 'u.id', 'f.uploaded_by')
		.select(['f.id', 'f.name', 'f.media_type', 'f.size_bytes', 'f.sensitive', 'f.description', 'f.uploaded_at', 'u.name as uploaded_by'])
		.where('f.application_id', '=', applicationId)
		.orderBy('f.id')
		.limit(100)
		.execute();
	const edit = actor.settingRoles.some((r) => ref.settingIds.includes(r.settingId));
	const files = [];
	let withheldCount = 0;
	let withheldReason = '';
	for (const row of rows) {
		const file = { ...row, uploaded_at: row.uploaded_at.toISOString() };
		const decision = can(actor, { action: 'capital.application.file', application: ref, file, viewer });
		// The applicant's staff see that their sensitive file is held, without opening it; others do not see it.
		if (decision.allowed || edit) files.push({ ...file, mayOpen: decision.allowed });
		else {
			withheldCount += 1;
			withheldReason = decision.reason;
		}
	}
	return { files, withheld: withheldCount > 0 ? { count: withheldCount, reason: withheldReason } : null };
}
