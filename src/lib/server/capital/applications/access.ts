import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database, DB } from '../../db';
import { notFound } from '../../errors';
import type { CapitalApplication } from '../../db/schema';
import type { CapitalProcess } from '$lib/capital/model';
import { isClosedStage, type ApplicationStage } from '$lib/capital/flow';
import type { ApplicationRef } from './policy';
import type { SignerSetting } from './rules';

// Reading an application as the policy needs it: its stage, process, district and settings. A
// command reads it under the row lock its write takes, so the policy decides on what is written.

export type Trx = Transaction<DB>;
type Reader = Database | Trx;

export type ApplicationRow = Selectable<CapitalApplication> & { process: CapitalProcess; line_name: string };

async function refOf(db: Reader, row: ApplicationRow): Promise<ApplicationRef> {
	const covered = await db.selectFrom('capital_application_setting').select('setting_id').where('application_id', '=', row.id).execute();
	return {
		id: row.id,
		stage: row.stage,
		process: row.process,
		districtId: row.district_id,
		leadSettingId: row.setting_id,
		settingIds: [...new Set([row.setting_id, ...covered.map((c) => c.setting_id)])]
	};
}

function applicationQuery(db: Reader, id: number) {
	return db
		.selectFrom('capital_application as a')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.selectAll('a')
		.select(['l.process', 'l.name as line_name'])
		.where('a.id', '=', id);
}

/**
 * What a move to `to` sets besides the stage: when it closed, if it is now withdrawn or declined.
 * The retention of its evidence counts from this, never from `updated_at`, which later writes move.
 */
export const closedAtFor = (to: ApplicationStage) => (isClosedStage(to) ? { closed_at: sql<Date>`now()` } : {});

/** The application as the policy reads it, or null when there is none. */
export async function loadApplicationRef(db: Reader, id: number): Promise<ApplicationRef | null> {
	const row = await applicationQuery(db, id).executeTakeFirst();
	return row ? refOf(db, row) : null;
}

/** The application and its policy view, read without a lock (pages). */
export async function loadApplication(db: Reader, id: number): Promise<{ row: ApplicationRow; ref: ApplicationRef }> {
	const row = await applicationQuery(db, id).executeTakeFirst();
	if (!row) throw notFound('That application');
	return { row, ref: await refOf(db, row) };
}

/** The application locked FOR UPDATE until the command's transaction ends, with its policy view. */
export async function lockApplication(trx: Trx, id: number): Promise<{ row: ApplicationRow; ref: ApplicationRef }> {
	const row = await applicationQuery(trx, id).forUpdate('a').executeTakeFirst();
	if (!row) throw notFound('That application');
	return { row, ref: await refOf(trx, row) };
}

/** The application's settings as signing reads them (their types' signatories), lead first. */
export async function signerSettings(db: Reader, ref: ApplicationRef): Promise<SignerSetting[]> {
	const rows = await db
		.selectFrom('setting as s')
		.leftJoin('setting_type as t', 't.setting_type', 's.setting_type')
		.select(['s.id', 's.name', 't.signatories', 't.landowner_consent'])
		.where('s.id', 'in', ref.settingIds)
		.orderBy('s.name')
		.execute();
	const settings = rows.map((r) => ({ id: r.id, name: r.name, signatories: r.signatories ?? [], landownerConsent: r.landowner_consent ?? false }));
	return [...settings.filter((s) => s.id === ref.leadSettingId), ...settings.filter((s) => s.id !== ref.leadSettingId)];
}
