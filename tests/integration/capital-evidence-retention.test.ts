import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { FIXED_LIFETIMES, sweepExpiredRows } from '../../src/lib/server/retention';
import { retentionCutoffs, retentionSettingsFromEnv } from '../../src/lib/server/retention/cutoffs';
import { isClosedStage, type ApplicationStage } from '../../src/lib/capital/flow';
import { moneyFixture, type MoneyFixture } from './capital-money-fixture';
import { withdrawApplication } from '../../src/lib/server/capital/applications/commands';

// Evidence files of capital applications (children's needs, site plans) are not kept for ever once
// an application is withdrawn or declined: the retention job deletes them after a configurable
// period counted from when it closed (a later write to the application does not restart it),
// leaving one timeline entry per application; everything else is kept.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
});

afterAll(async () => {
	await test?.close();
});

const addFiles = (id: number, names: string[]) =>
	db
		.insertInto('capital_application_file')
		.values(names.map((name) => ({ application_id: id, name, media_type: 'application/pdf', size_bytes: 4, content: Buffer.from('%PDF'), uploaded_by: f.officer.id })))
		.execute();

/** An application at `stage`, closed (and last changed) `closedAgo` ms ago, with evidence files named `names`. */
async function withEvidence(stage: ApplicationStage, closedAgo: number, names: string[]): Promise<number> {
	const id = await f.application({ stage });
	const closed = isClosedStage(stage) ? { closed_at: ago(closedAgo) } : {};
	await db.updateTable('capital_application').set({ updated_at: ago(closedAgo), ...closed }).where('id', '=', id).execute();
	await addFiles(id, names);
	return id;
}

const filesOf = async (id: number) => (await db.selectFrom('capital_application_file').select('name').where('application_id', '=', id).orderBy('name').execute()).map((r) => r.name);

describe('closed applications’ evidence on schedule', () => {
	it('deletes the files of applications withdrawn or declined longer ago than the period, keeps the rest, and records it on each timeline', async () => {
		const settings = retentionSettingsFromEnv({ RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS: '30' });
		expect(settings.closedApplicationEvidenceMs).toBe(30 * DAY);
		const withdrawnLongAgo = await withEvidence('withdrawn', 31 * DAY, ['needs summary.pdf', 'site plan.pdf']);
		const declinedLongAgo = await withEvidence('declined', 45 * DAY, ['costs.pdf']);
		const withdrawnLately = await withEvidence('withdrawn', 29 * DAY, ['recent.pdf']);
		const liveLongAgo = await withEvidence('in_assessment', 400 * DAY, ['live.pdf']);

		const doomedIds = (await db.selectFrom('capital_application_file').select('id').where('application_id', 'in', [withdrawnLongAgo, declinedLongAgo]).execute()).map((r) => r.id);
		const counts = await sweepExpiredRows(db, retentionCutoffs(new Date(), settings, FIXED_LIFETIMES), 2);
		expect(counts.capital_application_file).toBe(3);
		expect(await filesOf(withdrawnLongAgo)).toEqual([]);
		expect(await filesOf(declinedLongAgo)).toEqual([]);
		expect(await filesOf(withdrawnLately)).toEqual(['recent.pdf']);
		expect(await filesOf(liveLongAgo)).toEqual(['live.pdf']);

		const logged = await db
			.selectFrom('audit_log')
			.select(['subject_id', 'actor_id', 'reason', sql<string>`detail ->> 'summary'`.as('summary'), sql<number[]>`detail -> 'fileIds'`.as('fileIds'), sql<string>`detail::text`.as('text')])
			.where('action', '=', 'capital.evidence_deleted')
			.orderBy('subject_id')
			.execute();
		// Batches of two files: every batch's statement says, per application, what it deleted.
		expect(logged.map((l) => l.subject_id)).toEqual([withdrawnLongAgo, declinedLongAgo]);
		expect(logged.every((l) => l.actor_id === null && /RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS/.test(l.reason ?? ''))).toBe(true);
		// By id only: a file's name can name a child, so no name outlives its file.
		expect(logged.flatMap((l) => l.fileIds).sort((a, b) => a - b)).toEqual([...doomedIds].sort((a, b) => a - b));
		expect(logged.some((l) => /\.pdf/.test(l.text))).toBe(false);
		expect(logged.map((l) => l.summary)).toEqual(['Deleted 2 evidence files on schedule', 'Deleted 1 evidence file on schedule']);

		// A second sweep finds nothing more to do.
		expect((await sweepExpiredRows(db, retentionCutoffs(new Date(), settings, FIXED_LIFETIMES))).capital_application_file).toBe(0);
	});

	it('counts from the withdrawal: a later write to the application does not restart the period', async () => {
		const settings = retentionSettingsFromEnv({ RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS: '30' });
		const id = await f.application({ stage: 'submitted' });
		await addFiles(id, ['withdrawn evidence.pdf']);
		await withdrawApplication(db, f.head, { applicationId: id, reason: 'The space is needed for Year 7' });
		const closed = await db.selectFrom('capital_application').select(['closed_at', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(closed.closed_at).toEqual(closed.updated_at);
		// Withdrawn 31 days ago (as the command would have recorded then); something wrote to the application yesterday.
		await db.updateTable('capital_application').set({ closed_at: ago(31 * DAY), updated_at: ago(DAY) }).where('id', '=', id).execute();
		await sweepExpiredRows(db, retentionCutoffs(new Date(), settings, FIXED_LIFETIMES));
		expect(await filesOf(id)).toEqual([]);
	});

	it('a grant claim that named a deleted file keeps the claim, without the file', async () => {
		const id = await withEvidence('withdrawn', 400 * DAY, ['claim evidence.pdf']);
		const file = await db.selectFrom('capital_application_file').select('id').where('application_id', '=', id).executeTakeFirstOrThrow();
		const { rows } = await sql<{ id: number }>`insert into capital_grant_offer (application_id, letter_version, amount_pence, source_id, year, conditions, status, offered_by, claim_file_id, claim_amount_pence)
			values (${id}, 1, 1000, ${f.sources.tranche1}, 2026, 'Conditions', 'withdrawn', ${f.officer.id}, ${file.id}, 1000) returning id`.execute(db);
		await sweepExpiredRows(db, retentionCutoffs(new Date(), retentionSettingsFromEnv({}), FIXED_LIFETIMES));
		expect(await filesOf(id)).toEqual([]);
		const offer = await db.selectFrom('capital_grant_offer').select(['claim_file_id', 'claim_amount_pence']).where('id', '=', rows[0].id).executeTakeFirstOrThrow();
		expect(offer).toEqual({ claim_file_id: null, claim_amount_pence: 1000 });
	});
});
