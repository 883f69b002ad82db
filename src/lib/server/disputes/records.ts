import PDFDocument from 'pdfkit';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { can } from '../policy';
import { forbidden, invalid } from '../errors';
import { formulaSafe } from '../bids/export';
import { CASE_STATUS_LABELS, CATEGORY_LABELS, OTHER_PARTY_LABELS, REFERRER_LABELS } from '$lib/disputes/model';
import { FEEDBACK_PARTY_LABELS, OUTCOME_RESULT_LABELS } from '$lib/disputes/outcome';
import { PAPER_PARTY_LABELS, PAPER_TYPES, type PaperType } from '$lib/disputes/papers';
import { lockedCase } from './outcome';

// The written outcome record both parties receive (a PDF naming the case by reference, the child
// by initials and year group only) and the subject access export of one case (JSON or CSV, with
// third parties redacted). Each is for the district's SENDIASS officers, and every download, or
// refusal, goes in the case's access log.

export const REDACTED = '[redacted: third party]';
/** A statement whose redacted copy is not prepared yet: its text is held back rather than sent unredacted. */
export const STATEMENT_NOT_REDACTED = '[held back: the redacted copy is not prepared yet]';

async function logLook(db: Database, caseId: number, viewerId: number | null, what: string, refusal: string | null) {
	await db.insertInto('dispute_case_view').values({ case_id: caseId, viewer_id: viewerId, what, allowed: refusal === null, reason: refusal }).execute();
}

const ukDate = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** The written outcome record as a PDF. */
export async function outcomeRecordPdf(db: Database, actor: Actor | null, caseId: number): Promise<{ reference: string; pdf: Buffer }> {
	const { row, ref } = await lockedCase(db, caseId, false);
	const decision = can(actor, { action: 'disputes.outcome.pdf', case: ref });
	await logLook(db, row.id, actor?.id ?? null, 'written outcome record (PDF)', decision.allowed ? null : decision.reason);
	if (!decision.allowed) throw forbidden(decision.reason);
	const outcome = await db.selectFrom('dispute_outcome').selectAll().where('case_id', '=', row.id).executeTakeFirst();
	if (!outcome) throw invalid('This case has no outcome recorded yet.');
	const [setting, actions] = await Promise.all([
		row.setting_id === null ? null : db.selectFrom('setting').select('name').where('id', '=', row.setting_id).executeTakeFirst(),
		db
			.selectFrom('dispute_action as a')
			.leftJoin('app_user as u', 'u.id', 'a.owner_user_id')
			.select(['a.description', 'a.owner_kind', 'u.name as owner_name', 'a.due_on'])
			.where('a.case_id', '=', row.id)
			.orderBy('a.due_on')
			.orderBy('a.id')
			.execute()
	]);
	const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Written outcome record ${row.reference}`, Author: `${ref.district.name} SENDIASS` }, lang: 'en-GB' });
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
	const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(11);
	const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
	doc.font('Helvetica-Bold').fontSize(18).text('Written outcome record');
	doc.font('Helvetica').fontSize(11).moveDown(0.3).text(`${ref.district.name} district dispute-resolution panel`);
	heading('The case');
	line('Case reference', row.reference);
	line('Child', row.anonymised_at ? 'Anonymised' : `${row.child_initials}, ${row.year_group}`);
	line('Disagreement with', `${OTHER_PARTY_LABELS[row.other_party]}${setting ? `: ${setting.name}` : ''}`);
	line('About', CATEGORY_LABELS[row.category]);
	line('Panel met', ukDate(outcome.met_on));
	line('Outcome', OUTCOME_RESULT_LABELS[outcome.result]);
	heading('What the parties agreed');
	doc.text(outcome.summary || 'Not recorded.');
	heading('Agreed actions');
	if (!actions.length) doc.text('No actions were agreed.');
	for (const a of actions) {
		const owner = a.owner_kind === 'family' ? 'The family' : a.owner_kind === 'setting' ? (setting?.name ?? 'The setting') : (a.owner_name ?? 'A named person');
		doc.text(`• ${a.description} (${owner}, by ${ukDate(a.due_on)})`);
	}
	if (outcome.escalation.length) {
		heading('If the disagreement continues');
		for (const step of outcome.escalation) doc.text(`• ${step.what}: by ${ukDate(step.due)}`);
	}
	heading('Follow-up');
	doc.text(`${ref.district.name} SENDIASS will check how things are going by ${ukDate(outcome.follow_up_on)}.`);
	doc.moveDown(1).fontSize(9).text('This record names the case by its reference only. Taking part in a panel does not affect the right to mediation, an appeal to the Tribunal or a complaint.');
	doc.end();
	await done;
	return { reference: row.reference, pdf: Buffer.concat(chunks) };
}

export interface SubjectAccessExport {
	case: Record<string, string | boolean | null>;
	deadlines: { what: string; due: string }[];
	outcome: { result: string; agreed: string; metOn: string; followUpOn: string; escalation: { what: string; due: string }[] } | null;
	actions: { action: string; owner: string; due: string; done: boolean }[];
	feedback: { party: string; rating: number; comment: string }[];
	/** Each party's position statement as redacted for sharing (third parties removed); held back until an officer prepared it. */
	statements: { party: string; statement: string; shared: boolean }[];
	papers: { party: string; type: string; description: string; uploadedAt: string; shared: boolean }[];
	timeline: { at: string; who: string; what: string }[];
	accessLog: { at: string; who: string; what: string; allowed: boolean }[];
}

/**
 * One case as the family's subject access request is answered: what the case holds about the
 * family and child, with third parties redacted (staff and panel names, the setting's own feedback,
 * the reasons officers wrote, who looked at the case). The export is logged on the case.
 */
export async function subjectAccessExport(db: Database, actor: Actor | null, caseId: number, format: 'json' | 'csv'): Promise<{ reference: string; body: string }> {
	const { row, ref } = await lockedCase(db, caseId, false);
	const decision = can(actor, { action: 'disputes.case.export', case: ref });
	await logLook(db, row.id, actor?.id ?? null, `subject access export (${format.toUpperCase()})`, decision.allowed ? null : decision.reason);
	if (!decision.allowed) throw forbidden(decision.reason);
	const [setting, deadlines, outcome, actions, feedback, timeline, looks, statements, papers] = await Promise.all([
		row.setting_id === null ? null : db.selectFrom('setting').select('name').where('id', '=', row.setting_id).executeTakeFirst(),
		db.selectFrom('dispute_deadline').select(['what', 'due_on']).where('case_id', '=', row.id).orderBy('due_on').orderBy('id').execute(),
		db.selectFrom('dispute_outcome').selectAll().where('case_id', '=', row.id).executeTakeFirst(),
		db.selectFrom('dispute_action').select(['description', 'owner_kind', 'due_on', 'done_at']).where('case_id', '=', row.id).orderBy('due_on').orderBy('id').execute(),
		db.selectFrom('dispute_feedback').select(['party', 'rating', 'comment']).where('case_id', '=', row.id).orderBy('party').execute(),
		db.selectFrom('audit_log').select(['created_at', 'actor_id', 'detail']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', row.id).orderBy('id').execute(),
		db.selectFrom('dispute_case_view').select(['viewed_at', 'what', 'allowed']).where('case_id', '=', row.id).orderBy('id').execute(),
		db.selectFrom('dispute_statement').select(['party', 'redacted_text', 'shared_at']).where('case_id', '=', row.id).orderBy('party').execute(),
		db.selectFrom('dispute_paper').select(['party', 'media_type', 'description', 'uploaded_at', 'shared_at']).where('case_id', '=', row.id).orderBy('id').execute()
	]);
	const data: SubjectAccessExport = {
		case: {
			reference: row.reference,
			district: ref.district.name,
			status: CASE_STATUS_LABELS[row.status],
			disagreementWith: `${OTHER_PARTY_LABELS[row.other_party]}${setting ? `: ${setting.name}` : ''}`,
			about: CATEGORY_LABELS[row.category],
			childInitials: row.child_initials,
			yearGroup: row.year_group,
			alreadyTried: row.tried,
			outcomeSought: row.outcome_sought,
			childViews: row.child_views,
			referredBy: REFERRER_LABELS[row.referrer],
			// The supporter is a third party: that there is one is the requester's, their name is not.
			supporter: row.supporter ? REDACTED : null,
			interpreter: row.interpreter || null,
			reasonableAdjustments: row.adjustments || null,
			urgent: row.urgent,
			safeguardingConcern: row.safeguarding,
			decisionLetterDate: row.decision_letter_date,
			referredAt: row.intake_at.toISOString(),
			familyAgreedAt: row.family_agreed_at?.toISOString() ?? null,
			endedBecause: row.end_reason === null ? null : REDACTED
		},
		deadlines: deadlines.map((d) => ({ what: d.what, due: d.due_on })),
		outcome: outcome
			? { result: OUTCOME_RESULT_LABELS[outcome.result], agreed: outcome.summary, metOn: outcome.met_on, followUpOn: outcome.follow_up_on, escalation: outcome.escalation.map((s) => ({ what: s.what, due: s.due })) }
			: null,
		actions: actions.map((a) => ({ action: a.description, owner: a.owner_kind === 'family' ? 'The family' : a.owner_kind === 'setting' ? 'The setting' : REDACTED, due: a.due_on, done: a.done_at !== null })),
		feedback: feedback.map((f) => ({ party: FEEDBACK_PARTY_LABELS[f.party], rating: f.rating, comment: f.party === 'family' ? f.comment : REDACTED })),
		timeline: timeline.map((t) => ({ at: t.created_at.toISOString(), who: t.actor_id === null ? 'The portal' : REDACTED, what: typeof t.detail.summary === 'string' ? t.detail.summary : 'Changed the case' })),
		statements: statements.map((st) => ({ party: PAPER_PARTY_LABELS[st.party], statement: st.redacted_text.trim() ? st.redacted_text : STATEMENT_NOT_REDACTED, shared: st.shared_at !== null })),
		papers: papers.map((p) => ({ party: PAPER_PARTY_LABELS[p.party], type: Object.hasOwn(PAPER_TYPES, p.media_type) ? PAPER_TYPES[p.media_type as PaperType] : 'File', description: p.description, uploadedAt: p.uploaded_at.toISOString(), shared: p.shared_at !== null })),
		accessLog: looks.map((l) => ({ at: l.viewed_at.toISOString(), who: REDACTED, what: l.what, allowed: l.allowed }))
	};
	if (format === 'json') return { reference: row.reference, body: JSON.stringify(data, null, 2) };
	const rows: string[][] = [['Section', 'Field', 'Value']];
	for (const [field, value] of Object.entries(data.case)) rows.push(['Case', field, value === null ? '' : String(value)]);
	for (const d of data.deadlines) rows.push(['Deadline', d.what, d.due]);
	if (data.outcome) {
		rows.push(['Outcome', 'result', data.outcome.result], ['Outcome', 'agreed', data.outcome.agreed], ['Outcome', 'panel met', data.outcome.metOn], ['Outcome', 'follow-up by', data.outcome.followUpOn]);
		for (const s of data.outcome.escalation) rows.push(['Escalation', s.what, s.due]);
	}
	for (const a of data.actions) rows.push(['Agreed action', a.action, `${a.owner}; due ${a.due}; ${a.done ? 'done' : 'open'}`]);
	for (const f of data.feedback) rows.push(['Feedback', f.party, `${f.rating}/5 ${f.comment}`.trim()]);
	for (const st of data.statements) rows.push(['Position statement', st.party, st.statement]);
	for (const p of data.papers) rows.push(['Paper', p.party, `${p.type}${p.description ? `: ${p.description}` : ''}; added ${p.uploadedAt}${p.shared ? '; shared' : ''}`]);
	for (const t of data.timeline) rows.push(['Timeline', t.at, `${t.who}: ${t.what}`]);
	for (const l of data.accessLog) rows.push(['Access log', l.at, `${l.who}: ${l.what} (${l.allowed ? 'shown' : 'refused'})`]);
	return { reference: row.reference, body: stringify(rows.map((r) => r.map(formulaSafe)), { record_delimiter: 'windows', quoted: true, quoted_empty: true }) };
}
