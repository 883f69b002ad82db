import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { addPartner, confirmPledge, createBid, openRound, saveSection } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { exportFilename, formulaSafe, openRoundExport, roundExportCsv, roundExportRows } from '../../src/lib/server/bids/export';
import { parse } from 'csv-parse/sync';
import { roundOpening } from '../../src/lib/server/bids/pages';

let test: TestDatabase;
let db: Database;
const ids = {} as Record<string, number>;
const actors = {} as Record<string, Actor>;

async function setting(key: string, name: string, clusterId: number) {
	const { id } = await db
		.insertInto('setting')
		.values({ urn: `7${Object.keys(ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids[key] = id;
}

async function person(key: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer'; cluster?: number }) {
	const { id } = await db
		.insertInto('app_user')
		.values({ email: `${key}@export.test`, name: key, county_role: roles.county ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (roles.setting && roles.role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
	if (roles.cluster) await db.insertInto('cluster_role').values({ user_id: id, cluster_id: roles.cluster, role: 'cluster_lead' }).execute();
	ids[key] = id;
	actors[key] = (await loadActor(db, id))!;
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const banbury = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	ids.banbury = banbury.id;
	await setting('meadow', 'Meadowside Primary', banbury.id);
	await setting('castle', '=Castlebrook Academy', banbury.id);
	await person('officer', { county: 'officer' });
	await person('head', { setting: ids.meadow, role: 'headteacher' });
	await person('senco', { setting: ids.meadow, role: 'senco' });
	await person('castleSenco', { setting: ids.castle, role: 'senco' });
	await person('lead', { cluster: banbury.id });
});

afterAll(async () => {
	await test?.close();
});

describe('exporting a funding round', () => {
	it('gives officers one row per bid (drafts on request) with money computed from the lines and each pledge’s confirmation', async () => {
		const roundId = await openRound(db, actors.officer, {
			clusterId: ids.banbury,
			name: 'Spring pooled fund',
			potPence: 5_000_000,
			maxRequestPence: 3_000_000,
			opensOn: inDays(0),
			closesOn: inDays(30),
			guidance: '',
			endorsementRule: 'majority',
			endorsementValue: 0
		});
		const bidId = await createBid(db, actors.senco, { roundId, leadSettingId: ids.meadow, title: 'Shared family worker' });
		await addPartner(db, actors.senco, { bidId, settingId: ids.castle });
		const version = async (section: 'need' | 'measures' | 'budget' | 'pledges') =>
			(await bidDetail(db, actors.senco, bidId)).bid.section_versions[section] ?? 0;
		await saveSection(db, actors.senco, { bidId, section: 'need', version: await version('need'), content: { needs: ['semh'], phases: ['primary'], cohortSize: 30 } });
		await saveSection(db, actors.senco, { bidId, section: 'measures', version: await version('measures'), content: { measures: [{ measure: 'IM4', outcome: 'Earlier help' }] } });
		await saveSection(db, actors.senco, {
			bidId,
			section: 'budget',
			version: await version('budget'),
			content: { lines: [{ item: 'Worker', category: 'staffing', costPence: 1_000_000 }, { item: 'Training', category: 'training', costPence: 50_050 }] }
		});
		await saveSection(db, actors.senco, {
			bidId,
			section: 'pledges',
			version: await version('pledges'),
			content: { pledges: [{ settingId: ids.meadow, moneyPence: 200_000, staffHours: 10, staffDescription: '' }] }
		});
		// The partner's own SENCO writes its pledge.
		await saveSection(db, actors.castleSenco, {
			bidId,
			section: 'pledges',
			version: await version('pledges'),
			content: { pledges: [{ settingId: ids.castle, moneyPence: 50_000, staffHours: 5, staffDescription: '' }] }
		});
		await confirmPledge(db, actors.head, { bidId, settingId: ids.meadow, sectionVersion: await version('pledges') });

		const { roundName, rows } = await roundExportRows(db, actors.officer, roundId, { includeDrafts: true });
		expect(roundName).toBe('Spring pooled fund');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id: bidId,
			title: 'Shared family worker',
			leadSetting: 'Meadowside Primary',
			partnerSettings: ['=Castlebrook Academy'],
			status: 'draft',
			totalCostPence: 1_050_050,
			pledgedPence: 250_000,
			staffHours: 15,
			requestedPence: 800_050,
			approvedPence: null,
			measures: ['IM4'],
			needs: ['Social, emotional and mental health'],
			phases: ['Primary'],
			cohortSize: 30,
			submittedAt: null
		});
		// The lead setting's pledge first, then the partners'.
		expect(rows[0].pledges).toEqual([
			{ setting: 'Meadowside Primary', moneyPence: 200_000, staffHours: 10, confirmed: true },
			{ setting: '=Castlebrook Academy', moneyPence: 50_000, staffHours: 5, confirmed: false }
		]);
	});

	it('leaves drafts out unless asked, and names the file for what it holds', async () => {
		const { id: roundId } = await db.selectFrom('funding_round').select('id').executeTakeFirstOrThrow();
		expect((await roundExportRows(db, actors.officer, roundId)).rows).toHaveLength(0);
		expect((await roundExportRows(db, actors.officer, roundId, { includeDrafts: true })).rows).toHaveLength(1);
		expect(exportFilename(12, 'Spring “pooled” fund / 2027')).toBe('round-12-spring-pooled-fund-2027-bids.csv');
		expect(exportFilename(12, 'Spring', true)).toBe('round-12-spring-bids-with-drafts.csv');
	});

	it('calls a bid returned for changes what the bid page calls it, not a plain draft', async () => {
		const { id: roundId } = await db.selectFrom('funding_round').select('id').executeTakeFirstOrThrow();
		const { id: bidId } = await db.selectFrom('bid').select('id').where('round_id', '=', roundId).executeTakeFirstOrThrow();
		const before = await db.selectFrom('bid').select(['status', 'submission_no']).where('id', '=', bidId).executeTakeFirstOrThrow();
		await db.updateTable('bid').set({ status: 'draft', submission_no: 1 }).where('id', '=', bidId).execute();
		try {
			let csv = '';
			for await (const piece of roundExportCsv(await openRoundExport(db, actors.officer, roundId, { includeDrafts: true }))) csv += piece;
			const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
			expect(rows.find((row) => row['Bid id'] === String(bidId))?.Status).toBe('Returned for changes');
		} finally {
			await db.updateTable('bid').set(before).where('id', '=', bidId).execute();
		}
	});

	it('writes a CSV that parses back to one row per bid, every cell and every line in a cell safe from formulas', async () => {
		const { id: roundId } = await db.selectFrom('funding_round').select('id').executeTakeFirstOrThrow();
		const hostile = [
			'Line feed\n=HYPERLINK("http://evil.example","x")',
			'Carriage return\r+1+1',
			'Windows\r\n-2+3',
			'Line separator\u2028@SUM(A1)',
			'Paragraph\u2029=1',
			'=cmd|\' /C calc\'!A0',
			'\t=tab first',
			'＝full width',
			'Plain, with "quotes" and commas'
		];
		const bidIds: number[] = [];
		for (const title of hostile) {
			const bidId = await createBid(db, actors.senco, { roundId, leadSettingId: ids.meadow, title: 'placeholder' });
			// Straight into the table: the export must be safe whatever text reaches it.
			await db.updateTable('bid').set({ title, status: 'approved', approved_pence: 1000, conditions: `Report termly\n+${title}`, decision_reason: `First line\r\n=2+2\nthird` }).where('id', '=', bidId).execute();
			await db.insertInto('bid_submission').values({ bid_id: bidId, submission_no: 1, snapshot: '{}', submitted_by: ids.senco }).execute();
			await db.insertInto('audit_log').values({ actor_id: ids.officer, action: 'bid.approved', subject_type: 'bid', subject_id: bidId, reason: 'ok' }).execute();
			await db.updateTable('bid').set({ submission_no: 1 }).where('id', '=', bidId).execute();
			await db.insertInto('bid_endorsement').values({ bid_id: bidId, setting_id: ids.castle, submission_no: 1, decision: 'endorse', decided_by: ids.head }).execute();
			bidIds.push(bidId);
		}
		const exported = await openRoundExport(db, actors.officer, roundId, { includeDrafts: false });
		let csv = '';
		for await (const piece of roundExportCsv(exported)) csv += piece;
		expect(csv.startsWith('\uFEFF')).toBe(true);

		const [header, ...records] = parse(csv, { bom: true }) as string[][];
		expect(records).toHaveLength(hostile.length);
		for (const record of records) expect(record).toHaveLength(header.length);
		const column = (name: string) => header.indexOf(name);
		expect(records.map((r) => r[column('Bid id')])).toEqual(bidIds.map(String));
		const formulaStart = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
		for (const record of records) {
			for (const cell of record) {
				// eslint-disable-next-line no-control-regex -- the same line breaks the export guards against
				for (const line of cell.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/)) expect(line).not.toMatch(formulaStart);
			}
		}
		// Text is kept, only made inert.
		expect(records[0][column('Title')]).toBe('Line feed\n\'=HYPERLINK("http://evil.example","x")');
		expect(records[0][column('Decision reason')]).toBe("First line\r\n'=2+2\nthird");
		expect(records[8][column('Title')]).toBe('Plain, with "quotes" and commas');

		// The Schools Forum columns.
		const first = records[0];
		expect(first[column('Round')]).toBe('Spring pooled fund');
		expect(first[column('Locality')]).toBe('Banbury');
		expect(first[column('District')]).toBe('Cherwell');
		expect(first[column('Status')]).toBe('Approved');
		expect(first[column('Approved (£)')]).toBe('10.00');
		expect(first[column('Decision')]).toBe('Approved');
		expect(first[column('Decided by')]).toBe('officer');
		expect(first[column('Decision date (UK time)')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		expect(first[column('Endorsements for')]).toBe('1');
		expect(first[column('Endorsements against')]).toBe('0');
		expect(first[column('Endorsed by')]).toBe("'=Castlebrook Academy");
		expect(first[column('Lead setting name')]).toBe('Meadowside Primary');
		expect(first[column('Lead setting pledged money (£)')]).toBe('0.00');

		// Asking for drafts adds the first bid (a draft) and a column group for its partner.
		const withDrafts = await openRoundExport(db, actors.officer, roundId, { includeDrafts: true });
		let all = '';
		for await (const piece of roundExportCsv(withDrafts)) all += piece;
		const [allHeader, ...allRecords] = parse(all, { bom: true }) as string[][];
		expect(allRecords).toHaveLength(hostile.length + 1);
		expect(allHeader).toContain('Partner 1 pledged money (£)');
		const draft = allRecords.find((r) => r[allHeader.indexOf('Title')] === 'Shared family worker')!;
		expect(draft[allHeader.indexOf('Status')]).toBe('Draft');
		expect(draft[allHeader.indexOf('Requested (£)')]).toBe('8000.50');
		expect(draft[allHeader.indexOf('Lead setting pledged money (£)')]).toBe('2000.00');
		expect(draft[allHeader.indexOf('Lead setting pledge confirmed')]).toBe('Yes');
		expect(draft[allHeader.indexOf('Partner 1 name')]).toBe("'=Castlebrook Academy");
		expect(draft[allHeader.indexOf('Partner 1 pledged staff hours')]).toBe('5');
		expect(draft[allHeader.indexOf('Partner 1 pledge confirmed')]).toBe('No');
	});

	it('keeps a cell inert after every kind of line break', () => {
		expect(formulaSafe('=1')).toBe("'=1");
		expect(formulaSafe('a\n=1\r+2\r\n-3\u2028@4\u2029\t5\u000b=6')).toBe("a\n'=1\r'+2\r\n'-3\u2028'@4\u2029'\t5\u000b'=6");
		expect(formulaSafe('a - b = c')).toBe('a - b = c');
	});

	it('refuses anyone who is not a council officer, even the lead setting’s headteacher', async () => {
		const { id: roundId } = await db.selectFrom('funding_round').select('id').executeTakeFirstOrThrow();
		const refusal = await roundExportRows(db, actors.head, roundId).catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(DomainError);
		expect((refusal as DomainError).code).toBe('FORBIDDEN');
	});

	it('says an unknown round is not found', async () => {
		const refusal = await roundExportRows(db, actors.officer, 999_999).catch((e: unknown) => e);
		expect((refusal as DomainError).code).toBe('NOT_FOUND');
	});
});

describe('who the pages offer "Open a funding round" to', () => {
	it('offers it to officers, and to a cluster lead only once an officer allows it', async () => {
		expect((await roundOpening(db, actors.officer, ids.banbury)).decision.allowed).toBe(true);
		expect((await roundOpening(db, actors.lead, ids.banbury)).decision.allowed).toBe(false);
		await db.updateTable('cluster').set({ leads_may_open_rounds: true }).where('id', '=', ids.banbury).execute();
		expect((await roundOpening(db, actors.lead, ids.banbury)).decision.allowed).toBe(true);
	});

	it('does not offer it to a SENCO, and says why', async () => {
		const { decision } = await roundOpening(db, actors.senco, ids.banbury);
		expect(decision.allowed).toBe(false);
		expect(decision.allowed ? '' : decision.reason).toMatch(/council officers/);
	});

	it('does not offer it for a retired cluster', async () => {
		await db.updateTable('cluster').set({ status: 'retired' }).where('id', '=', ids.banbury).execute();
		const { decision } = await roundOpening(db, actors.officer, ids.banbury);
		expect(decision.allowed).toBe(false);
		await db.updateTable('cluster').set({ status: 'active' }).where('id', '=', ids.banbury).execute();
	});
});
