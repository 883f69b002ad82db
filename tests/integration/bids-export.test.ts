import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { addPartner, confirmPledge, createBid, openRound, saveSection } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { exportFilename, roundExportCsv, roundExportRows } from '../../src/lib/server/bids/export';
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
	it('gives officers one row per bid with money computed from the lines and each pledge’s confirmation', async () => {
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

		const { roundName, rows } = await roundExportRows(db, actors.officer, roundId);
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
		expect(rows[0].pledges).toEqual([
			{ setting: '=Castlebrook Academy', moneyPence: 50_000, staffHours: 5, confirmed: false },
			{ setting: 'Meadowside Primary', moneyPence: 200_000, staffHours: 10, confirmed: true }
		]);
	});

	it('writes the CSV in pounds, keeps a name a spreadsheet would run as a formula as text, and names the file safely', async () => {
		const { id: roundId } = await db.selectFrom('funding_round').select('id').executeTakeFirstOrThrow();
		const { rows } = await roundExportRows(db, actors.officer, roundId);
		const csv = roundExportCsv(rows);
		const [header, first] = csv.replace(/^\uFEFF/, '').split('\r\n');
		expect(header.split(',').slice(0, 3)).toEqual(['Bid id', 'Title', 'Lead setting']);
		expect(first).toContain(',Draft,10500.50,2500.00,15,8000.50,,');
		expect(first).toContain("'=Castlebrook Academy");
		expect(first).not.toMatch(/,=Castlebrook/);
		expect(first).toContain('Meadowside Primary: £2000.00 + 10 hours (confirmed)');
		expect(exportFilename(12, 'Spring “pooled” fund / 2027')).toBe('round-12-spring-pooled-fund-2027-bids.csv');
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
