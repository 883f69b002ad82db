import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { commitFunding, recordOccupancy, recordSpend, savePublicNote } from '../../src/lib/server/capital/money';
import { dashboardCsv, dashboardData, dashboardFigures, dashboardQueries, GAPS_SHOWN, publicNotesForEdit, publicSummary } from '../../src/lib/server/capital/dashboard';
import { DISTRICT_KEY } from '../../src/lib/server/workspace/queries';
import { readCursor } from '../../src/lib/server/paging';
import { seedDemoCounty } from '../../db/seed/index';
import { moneyFixture, refused, type MoneyFixture } from './capital-money-fixture';
import { planOf, sequentialScans } from './plans';

// The sufficiency dashboard and the published summary against a real PostgreSQL: places by phase,
// district and line, against targets; the register; money by line, source and year; the gaps;
// filters; CSV; who may see what; the plans of its grouped queries; and the demo pipeline seed.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
	// West: one grant offered (6). Vale: nothing. Cherwell: a secondary base in delivery (40), an open grant base (6, 4 occupied), a draft.
	const offered = await f.application({ district: 'west', stage: 'grant_offered' });
	const building = await f.application({ district: 'cherwell', line: 'secondary', stage: 'in_delivery', places: 40, requestedPence: 75_000_00, openingYear: 2028 });
	const open = await f.application({ district: 'cherwell', stage: 'open' });
	await f.application({ district: 'vale', stage: 'draft', places: 30 });
	await commitFunding(db, f.officer, { applicationId: offered, kind: 'committed', sourceId: f.sources.tranche1, year: 2026, amountPence: 10_000_00, reason: 'Offered' });
	await commitFunding(db, f.officer, { applicationId: building, kind: 'committed', sourceId: f.sources.other, year: 2026, amountPence: 75_000_00, reason: 'Approved' });
	await commitFunding(db, f.officer, { applicationId: building, kind: 'planned', sourceId: f.sources.tranche2, year: 2027, amountPence: 50_000_00, reason: 'Phase two' });
	await recordSpend(db, f.officer, { applicationId: building, amountPence: '20000', spentOn: '2026-05-01', note: 'Design' });
	await recordOccupancy(db, f.officer, { applicationId: open, year: 2026, term: 'autumn', occupied: '3' });
	await recordOccupancy(db, f.officer, { applicationId: open, year: 2026, term: 'spring', occupied: '4' });
	await db.insertInto('capital_rollout').values([
		{ setting_id: f.settings.west, line_id: f.lines.secondary, status: 'not_engaged' },
		{ setting_id: f.settings.vale, line_id: f.lines.secondary, status: 'in_conversation' },
		{ setting_id: f.settings.cherwell, line_id: f.lines.secondary, status: 'in_delivery', planned_year: 2028 }
	]).execute();
});

/** Tells the programme's room something changed, as a command does, after a test wrote straight to a table. */
const announce = () => db.updateTable('live_room').set((eb) => ({ seq: eb('seq', '+', 1) })).where('room', '=', 'capital:1').execute();

afterAll(async () => {
	await test?.close();
});

describe('the sufficiency dashboard', () => {
	it('counts places approved, in delivery, open and occupied (latest term) by district and line, and against each target', async () => {
		const d = await dashboardData(db, f.officer, {});
		const byName = Object.fromEntries(d.placesByDistrict.map((r) => [r.name, r]));
		expect(byName['Cherwell']).toMatchObject({ approved: 0, in_delivery: 40, open: 6, occupied: 4, bases: 2 });
		expect(byName['West Oxfordshire']).toMatchObject({ approved: 6, in_delivery: 0, open: 0, occupied: 0 });
		// A draft counts nothing.
		expect(byName['Vale of White Horse']).toMatchObject({ approved: 0, in_delivery: 0, open: 0, bases: 0 });
		expect(d.placesByLine.find((l) => l.name === 'Early years support base')).toMatchObject({ approved: 6, open: 6, occupied: 4 });
		expect(d.targets[0]).toMatchObject({ name: 'Inclusion support places', approved: 6, in_delivery: 40, open: 6, occupied: 4, coming: 52 });
		expect(d.rollout).toEqual({ not_engaged: 1, in_conversation: 1, application: 0, approved: 0, in_delivery: 1, open: 0 });
	});

	it('shows the widest gaps first: an even share of planned places against places coming', async () => {
		const d = await dashboardData(db, f.officer, {});
		// (600 + 1720) / 3 districts = 773 each.
		expect(d.gaps.map((g) => [g.name, g.share, g.coming, g.gap])).toEqual([
			['Vale of White Horse', 773, 0, 773],
			['West Oxfordshire', 773, 6, 767],
			['Cherwell', 773, 46, 727]
		]);
	});

	it('sums money committed and planned by line, source and year, and spend by financial year', async () => {
		const d = await dashboardData(db, f.officer, {});
		expect(d.money).toContainEqual({ line: 'Secondary inclusion/support base', source: 'Existing capital', year: 2026, kind: 'committed', pence: 75_000_00 });
		expect(d.money).toContainEqual({ line: 'Secondary inclusion/support base', source: 'HNCPA tranche 2', year: 2027, kind: 'planned', pence: 50_000_00 });
		expect(d.spend).toEqual([{ line: 'Secondary inclusion/support base', year: 2026, pence: 20_000_00 }]);
		expect(d.moneyByLine.find((l) => l.name === 'Secondary inclusion/support base')).toEqual({ name: 'Secondary inclusion/support base', allocation: 3_570_000_00, committed: 75_000_00, spent: 20_000_00 });
	});

	it('filters by district, line and year, each narrowing every figure', async () => {
		const west = await dashboardData(db, f.officer, { districtId: String(f.districts.west) });
		expect(west.placesByDistrict.map((r) => r.name)).toEqual(['West Oxfordshire']);
		expect(west.money.map((m) => m.pence)).toEqual([10_000_00]);
		expect(west.rollout.not_engaged).toBe(1);
		expect(west.rollout.in_delivery).toBe(0);
		const secondary = await dashboardData(db, f.officer, { lineId: f.lines.secondary });
		expect(secondary.placesByLine.map((l) => l.name)).toEqual(['Secondary inclusion/support base']);
		expect(secondary.placesByDistrict.find((r) => r.name === 'Cherwell')).toMatchObject({ in_delivery: 40, open: 0 });
		const later = await dashboardData(db, f.officer, { year: 2027 });
		expect(later.money.map((m) => [m.source, m.kind])).toEqual([['HNCPA tranche 2', 'planned']]);
		expect(later.spend).toEqual([]);
		expect(later.placesByDistrict.find((r) => r.name === 'Cherwell')).toMatchObject({ in_delivery: 0, open: 6 });
	});

	it('is for officers: a headteacher and someone not signed in are refused', async () => {
		expect((await refused(dashboardData(db, f.head, {}), 'FORBIDDEN')).message).toBe('The sufficiency dashboard is for council officers. The published summary is open to everyone.');
		await refused(dashboardData(db, null, {}), 'FORBIDDEN');
	});

	it('exports the same figures as CSV, money in pounds, with formula-like names made safe', async () => {
		await db.updateTable('capital_line').set({ name: '=HYPERLINK("x")' }).where('id', '=', f.lines.earlyYears).execute();
		await announce();
		try {
			const rows: string[][] = parse(dashboardCsv(await dashboardData(db, f.officer, {})));
			expect(rows[0]).toEqual(['table', 'name', 'measure', 'year', 'value']);
			expect(rows).toContainEqual(['places by district', 'Cherwell', 'In delivery', '', '40']);
			expect(rows).toContainEqual(['money by source', 'Secondary inclusion/support base / Existing capital', 'Committed', '2026/27', '75000.00']);
			expect(rows).toContainEqual(['rollout register', 'In delivery', 'schools', '', '1']);
			expect(rows.filter((r) => r[1].includes('HYPERLINK')).every((r) => r[1].startsWith("'"))).toBe(true);
		} finally {
			await db.updateTable('capital_line').set({ name: 'Early years support base' }).where('id', '=', f.lines.earlyYears).execute();
			await announce();
		}
	});

	it('works its figures out once per change to the programme: a change announced in the room is seen at once, a silent write is not', async () => {
		const before = await dashboardData(db, f.officer, {});
		const id = await f.application({ district: 'vale', stage: 'grant_offered' });
		// Written straight into the table, with no event: the remembered figures stand.
		expect((await dashboardData(db, f.officer, {})).placesByDistrict).toEqual(before.placesByDistrict);
		// Any command that changes the programme announces it in the room, in its own transaction.
		await commitFunding(db, f.officer, { applicationId: id, kind: 'planned', sourceId: f.sources.tranche2, year: 2027, amountPence: 1_000_00, reason: 'Later' });
		expect((await dashboardData(db, f.officer, {})).placesByDistrict.find((d) => d.name === 'Vale of White Horse')).toMatchObject({ approved: 6 });
	});

	it('its grouped queries can be served by indexes when filtered (no full read of applications or commitments)', async () => {
		for (const filters of [{ districtId: f.districts.west }, { lineId: f.lines.secondary }]) {
			const q = dashboardQueries(db, filters);
			for (const query of [q.pipelineQuery, q.occupiedQuery, q.moneyQuery, q.spendQuery]) {
				expect(sequentialScans(await planOf(db, query), ['capital_application', 'capital_commitment', 'capital_spend', 'capital_occupancy'])).toEqual([]);
			}
		}
		// Unfiltered, the pipeline is counted from its covering index alone.
		const plan = JSON.stringify(await planOf(db, dashboardQueries(db, {}).pipelineQuery));
		expect(plan).toContain('capital_application_pipeline');
	});
});

describe('the published summary', () => {
	it('anyone may read it: counts and sums only, and the officers’ words on how parents were involved', async () => {
		await savePublicNote(db, f.officer, { lineId: f.lines.earlyYears, version: '', parentsInvolved: 'The Parent Carer Forum sat on the panel.', reason: '' });
		const summary = await publicSummary(db);
		expect(Object.keys(summary.placesByDistrict[0]).sort()).toEqual(['approved', 'id', 'in_delivery', 'name', 'open']);
		expect(summary.notes).toMatchObject([{ name: 'Early years support base', parents_involved: 'The Parent Carer Forum sat on the panel.' }]);
		const text = JSON.stringify(summary);
		for (const personal of ['Hana Head', 'Olive Officer', 'Witney Academy', 'CAP-TEST', 'Offered']) expect(text).not.toContain(personal);
	});

	it('only officers change its words; a stale version is a conflict, not an overwrite', async () => {
		await refused(savePublicNote(db, f.head, { lineId: f.lines.earlyYears, version: '1', parentsInvolved: 'Mine', reason: '' }), 'FORBIDDEN');
		await refused(publicNotesForEdit(db, f.head), 'FORBIDDEN');
		await savePublicNote(db, f.secondOfficer, { lineId: f.lines.earlyYears, version: '1', parentsInvolved: 'Parents co-designed the form.', reason: 'Fuller' });
		const clash = await refused(savePublicNote(db, f.officer, { lineId: f.lines.earlyYears, version: '1', parentsInvolved: 'Other words', reason: '' }), 'CONFLICT');
		expect(clash.message).toMatch(/Saved now: “Parents co-designed the form\.”/);
		const empty = await refused(savePublicNote(db, f.officer, { lineId: f.lines.earlyYears, version: '2', parentsInvolved: ' ', reason: '' }), 'BAD_REQUEST');
		expect(empty.fieldErrors?.parentsInvolved).toBeDefined();
	});
});

describe('the demo pipeline', () => {
	it('seeds the CAP-DEMO applications with money, spend and places, shows West Oxfordshire and the Vale furthest behind, and a rerun adds nothing', async () => {
		const demo = await freshDatabase();
		try {
			await seedDemoCounty(demo.db);
			const references = await demo.db.selectFrom('capital_application').select(['reference', 'stage']).where('reference', 'like', 'CAP-DEMO-%').orderBy('reference').execute();
			expect(Object.fromEntries(references.map((r) => [r.reference, r.stage]))).toMatchObject({ 'CAP-DEMO-EY1': 'open', 'CAP-DEMO-SEC1': 'in_delivery', 'CAP-DEMO-SP1': 'in_assessment', 'CAP-DEMO-DRAFT1': 'draft' });
			const officer = await demo.db.selectFrom('app_user').select('id').where('email', '=', 'officer@portal.example').executeTakeFirstOrThrow();
			const { loadActor } = await import('../../src/lib/server/auth/actor');
			const d = await dashboardData(demo.db, await loadActor(demo.db, officer.id), {});
			expect(d.gaps.slice(0, 2).map((g) => g.name).sort()).toEqual(['Vale of White Horse', 'West Oxfordshire']);
			expect(d.placesByLine.find((l) => l.name === 'Early years support base')).toMatchObject({ open: 6, occupied: 5 });
			expect(d.money.some((m) => m.source === 'HNCPA tranche 1' && m.kind === 'committed')).toBe(true);
			expect(d.money.some((m) => m.source === 'HNCPA tranche 2' && m.kind === 'planned')).toBe(true);
			expect(d.spend.length).toBeGreaterThan(0);
			const count = async () => Number((await demo.db.selectFrom('capital_commitment').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
			const before = await count();
			await seedDemoCounty(demo.db);
			expect(await count()).toBe(before);
		} finally {
			await demo.close();
		}
	});
});

describe('a country of districts', () => {
	it('pages the places by district by name, shows only the districts furthest behind, and the CSV and the public page still count every one', async () => {
		// 25 more districts with no base: 28 in all, more than a page.
		await db.insertInto('cluster').values(Array.from({ length: 25 }, (_, n) => ({ kind: 'district' as const, name: `Zed district ${String(n + 1).padStart(2, '0')}` }))).execute();
		await announce();
		const first = await dashboardData(db, f.officer, {});
		expect(first.placesByDistrict).toHaveLength(20);
		expect(first.placesByDistrict.slice(0, 3).map((d) => d.name)).toEqual(['Cherwell', 'Vale of White Horse', 'West Oxfordshire']);
		expect(first.districtPages.previous).toBeNull();
		const second = await dashboardData(db, f.officer, {}, readCursor(first.districtPages.next, DISTRICT_KEY));
		expect(second.placesByDistrict.map((d) => d.name)).toEqual(Array.from({ length: 8 }, (_, n) => `Zed district ${String(n + 18).padStart(2, '0')}`));
		expect(second.placesByDistrict[0]).toMatchObject({ approved: 0, in_delivery: 0, open: 0, occupied: 0, bases: 0 });
		expect(second.districtPages.next).toBeNull();
		// The gaps: the ten furthest behind (every new district has nothing coming), of 28.
		expect(first.gaps).toHaveLength(GAPS_SHOWN);
		expect(first.gapsCounted).toBe(28);
		expect(first.gaps.every((g) => g.coming === 0)).toBe(true);
		// A chosen district alone, with no pages.
		const west = await dashboardData(db, f.officer, { districtId: f.districts.west });
		expect(west.placesByDistrict.map((d) => d.name)).toEqual(['West Oxfordshire']);
		expect(west.districtPages).toEqual({ next: null, previous: null });
		// The CSV has every district and every gap.
		const rows: string[][] = parse(dashboardCsv(await dashboardFigures(db, f.officer, {})));
		expect(new Set(rows.filter((r) => r[0] === 'places by district').map((r) => r[1])).size).toBe(28);
		expect(rows.filter((r) => r[0] === 'gap')).toHaveLength(28);
		const summary = await publicSummary(db);
		expect(summary.placesByDistrict).toHaveLength(20);
		expect((await publicSummary(db, readCursor(summary.districtPages.next, DISTRICT_KEY))).placesByDistrict).toHaveLength(8);
	});
});
