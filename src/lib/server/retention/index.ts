import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db';
import type { ScheduledJob } from '../jobs/scheduler';
import { log } from '../log';
import { MAX_CATCH_UP } from '$lib/live/events';
import { ACCOUNT_RULE, ADDRESS_RULE } from '../auth/signin';
import { RESET_ACCOUNT_RULE, RESET_ADDRESS_RULE } from '../auth/account';
import { DEVICE_LIFETIME_MS } from '../auth/device';
import { FORM_TOKEN_LIFETIME_MS } from '../form-posts';
import { retentionCutoffs, type FixedLifetimes, type RetentionCutoffs, type RetentionSettings } from './cutoffs';

export { retentionSettingsFromEnv, type RetentionSettings } from './cutoffs';

/** Rows per DELETE: each batch is its own short statement, so a large backlog never holds long locks. */
export const RETENTION_BATCH = 5_000;

const THROTTLE_RULES = [ACCOUNT_RULE, ADDRESS_RULE, RESET_ACCOUNT_RULE, RESET_ADDRESS_RULE];

export const FIXED_LIFETIMES: FixedLifetimes = {
	formTokenMs: FORM_TOKEN_LIFETIME_MS,
	passwordResetGraceMs: 7 * 24 * 60 * 60 * 1000,
	// The longest quiet spell of any rule: after it every rule starts counting afresh.
	throttleQuietMs: Math.max(...THROTTLE_RULES.map((rule) => Math.max(rule.quietSeconds, rule.maxDelaySeconds))) * 1000,
	deviceMs: DEVICE_LIFETIME_MS,
	socketAttachmentMs: 5 * 60 * 1000
};

export type RetentionCounts = Record<string, number>;

/**
 * Deletes the rows `condition` picks, RETENTION_BATCH at a time. The condition is repeated on the
 * outer DELETE so a row changed since the subselect saw it (a throttle row with a new attempt) is
 * checked again and kept.
 */
async function deleteInBatches(db: Database, table: string, key: string, condition: RawBuilder<unknown>, batch: number): Promise<number> {
	let total = 0;
	for (;;) {
		const result = await sql`delete from ${sql.table(table)} where ${sql.ref(key)} in (
			select ${sql.ref(key)} from ${sql.table(table)} where ${condition} limit ${batch}
		) and ${condition}`.execute(db);
		const deleted = Number(result.numAffectedRows ?? 0);
		total += deleted;
		if (deleted < batch) return total;
	}
}

/** Live events more than MAX_CATCH_UP behind their room's latest: no catch-up can replay them. */
async function deleteBeyondCatchUp(db: Database, batch: number): Promise<number> {
	let total = 0;
	for (;;) {
		// Visits only rooms with more events than the window, each by its (room, seq) index.
		const result = await sql`delete from live_event where id in (
			select old.id from live_room r cross join lateral (
				select e.id from live_event e where e.room = r.room and e.seq <= r.seq - ${MAX_CATCH_UP} order by e.seq limit ${batch}
			) old where r.seq > ${MAX_CATCH_UP} limit ${batch}
		)`.execute(db);
		const deleted = Number(result.numAffectedRows ?? 0);
		total += deleted;
		if (deleted < batch) return total;
	}
}

/**
 * Evidence files (children's needs, site plans) of capital applications withdrawn or declined
 * before `cutoff`: deleted a batch at a time, each batch in one statement that also leaves one
 * timeline entry per application saying how many files went and why (no actor: the schedule), by
 * id only: a file's name can itself name a child, so it is not kept past the file. A
 * grant offer's claim that named a file keeps the claim, without the file. The period counts from
 * the application's `closed_at` (set by the withdrawal or the decline), not from `updated_at`,
 * which any later write would move on.
 */
async function deleteClosedApplicationEvidence(db: Database, cutoff: Date, batch: number): Promise<number> {
	let total = 0;
	for (;;) {
		const deleted = await db.transaction().execute(async (trx) => {
			const doomed = sql`select f.id from capital_application_file f join capital_application a on a.id = f.application_id
				where a.stage in ('withdrawn', 'declined') and a.closed_at < ${cutoff}::timestamptz order by f.id limit ${batch} for update of f skip locked`;
			await sql`update capital_grant_offer set claim_file_id = null where claim_file_id in (${doomed})`.execute(trx);
			const { rows } = await sql<{ n: number }>`with gone as (
					delete from capital_application_file where id in (${doomed}) returning application_id, id
				), logged as (
					insert into audit_log (actor_id, action, subject_type, subject_id, reason, detail)
					select null, 'capital.evidence_deleted', 'capital_application', application_id, ${`Evidence is kept only until RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS after an application is withdrawn or declined (closed before ${cutoff.toISOString().slice(0, 10)})`},
						jsonb_build_object('summary', 'Deleted ' || count(*) || case when count(*) = 1 then ' evidence file' else ' evidence files' end || ' on schedule', 'fileIds', jsonb_agg(id order by id))
					from gone group by application_id
					returning id
				)
				select (select count(*) from gone)::int as n`.execute(trx);
			return rows[0].n;
		});
		total += deleted;
		if (deleted < batch) return total;
	}
}

/** One sweep of every table that would otherwise only grow; returns the rows deleted per table. */
export async function sweepExpiredRows(db: Database, cutoffs: RetentionCutoffs, batch = RETENTION_BATCH): Promise<RetentionCounts> {
	const at = (date: Date) => sql`${date}::timestamptz`;
	const counts: RetentionCounts = {};
	counts.live_event =
		(await deleteBeyondCatchUp(db, batch)) + (await deleteInBatches(db, 'live_event', 'id', sql`created_at < ${at(cutoffs.liveEvent)}`, batch));
	// Only mail that went out: unsent or failed mail stays for someone to look into.
	counts.mail_outbox = await deleteInBatches(db, 'mail_outbox', 'id', sql`sent_at < ${at(cutoffs.sentMail)}`, batch);
	counts.notification = await deleteInBatches(db, 'notification', 'id', sql`read_at < ${at(cutoffs.readNotification)}`, batch);
	counts.user_session = await deleteInBatches(db, 'user_session', 'id', sql`expires_at <= ${at(cutoffs.session)}`, batch);
	counts.signin_throttle = await deleteInBatches(
		db,
		'signin_throttle',
		'key',
		sql`last_attempt_at < ${at(cutoffs.throttle)} and next_allowed_at <= now()`,
		batch
	);
	counts.capital_application_file = await deleteClosedApplicationEvidence(db, cutoffs.closedApplicationEvidence, batch);
	counts.password_reset = await deleteInBatches(db, 'password_reset', 'id', sql`expires_at < ${at(cutoffs.passwordReset)}`, batch);
	// A family's address whose confirmation link expired unused is not kept (see pcf/subscriptions.ts).
	counts.pcf_subscriber = await deleteInBatches(db, 'pcf_subscriber', 'id', sql`confirmed_at is null and confirm_expires_at < now()`, batch);
	counts.form_submission = await deleteInBatches(db, 'form_submission', 'token', sql`created_at < ${at(cutoffs.formToken)}`, batch);
	counts.known_device = await deleteInBatches(db, 'known_device', 'token_hash', sql`created_at < ${at(cutoffs.device)}`, batch);
	counts.socket_io_attachments = await deleteInBatches(
		db,
		'socket_io_attachments',
		'id',
		sql`created_at < ${at(cutoffs.socketAttachment)}`,
		batch
	);
	return counts;
}

/** The retention job for the scheduler: cut-offs from the clock at each run. */
export function retentionJob(settings: RetentionSettings): ScheduledJob {
	return {
		name: 'retention',
		intervalMs: settings.intervalMs,
		async run(db) {
			const counts = await sweepExpiredRows(db, retentionCutoffs(new Date(), settings, FIXED_LIFETIMES));
			log.info({ deleted: counts }, 'retention: old rows deleted');
		}
	};
}
