import { sql } from 'kysely';
import type { Database } from './db';

// The read side of the audit log that `work.audit` writes: the history pages show, each decision
// with who made it, when and why.

/** What an audit entry's JSON detail holds: the summary written once at the time, and facts such as `clusterIds`. */
export interface AuditDetail {
	summary?: string;
	[fact: string]: unknown;
}

export interface AuditEntry {
	id: number;
	action: string;
	subjectType: string;
	subjectId: number;
	reason: string | null;
	detail: AuditDetail;
	at: Date;
	/** Who made the decision; null when nobody signed in did (the portal itself). */
	actorName: string | null;
}

export interface AuditSubjects {
	/** Entries about any of these subjects (`subject_type`, `subject_id`)... */
	subjects: { type: string; ids: number[] }[];
	/** ...and entries whose detail contains this, such as `{ clusterIds: [id] }` for those naming a cluster. */
	detailContains?: Record<string, unknown>;
}

/**
 * The audit entries about something, with who made each decision, in no order yet: for
 * `auditHistory`, or for a caller that pages through them (`keysetPage` on time, then id).
 */
export function auditEntries(db: Database, about: AuditSubjects) {
	return db
		.selectFrom('audit_log as a')
		.leftJoin('app_user as u', 'u.id', 'a.actor_id')
		.select(['a.id', 'a.action', 'a.subject_type', 'a.subject_id', 'a.reason', 'a.detail', 'a.created_at', 'u.name as actor_name'])
		.where((eb) =>
			eb.or([
				...about.subjects
					.filter((subject) => subject.ids.length > 0)
					.map((subject) => eb.and([eb('a.subject_type', '=', subject.type), eb('a.subject_id', 'in', subject.ids)])),
				// Served by the GIN index `audit_log_detail` (jsonb_path_ops).
				...(about.detailContains ? [sql<boolean>`a.detail @> ${JSON.stringify(about.detailContains)}::jsonb`] : [])
			])
		);
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof auditEntries>['execute']>>[number];

export function auditEntryOf(row: AuditRow): AuditEntry {
	return {
		id: row.id,
		action: row.action,
		subjectType: row.subject_type,
		subjectId: row.subject_id,
		reason: row.reason,
		detail: row.detail,
		at: row.created_at,
		actorName: row.actor_name
	};
}

/** The audit entries about something, newest first, each with the name of who made the decision. */
export async function auditHistory(db: Database, about: AuditSubjects, limit?: number): Promise<AuditEntry[]> {
	// By when it happened; the id only breaks ties.
	let query = auditEntries(db, about).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc');
	if (limit !== undefined) query = query.limit(limit);
	return (await query.execute()).map(auditEntryOf);
}

/** The words an entry's detail gives for what happened, when it gives them. */
export function auditSummary(entry: AuditEntry): string | null {
	return typeof entry.detail.summary === 'string' ? entry.detail.summary : null;
}
