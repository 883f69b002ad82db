import { describe, expect, it } from 'vitest';
import { can } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	DEFAULT_SUPPRESSION_THRESHOLD,
	financialQuarter,
	financialYearBounds,
	financialYearWords,
	quarterTable,
	suppress,
	type SuppressedTable
} from '../../src/lib/disputes/report';
import { suppressionThreshold } from '../../src/lib/server/disputes/report';

// Governance reporting's pure parts: financial-quarter bucketing, small-number suppression with
// secondary suppression (no hidden count can be recovered from the totals printed beside it), and
// who may see the figures.

describe('financial quarters', () => {
	it('puts April–June in Q1 and January–March in Q4 of the year that started the April before', () => {
		expect(financialQuarter('2026-04-01')).toEqual({ year: 2026, quarter: 0 });
		expect(financialQuarter('2026-06-30')).toEqual({ year: 2026, quarter: 0 });
		expect(financialQuarter('2026-07-01')).toEqual({ year: 2026, quarter: 1 });
		expect(financialQuarter('2026-09')).toEqual({ year: 2026, quarter: 1 });
		expect(financialQuarter('2026-10')).toEqual({ year: 2026, quarter: 2 });
		expect(financialQuarter('2026-12-31')).toEqual({ year: 2026, quarter: 2 });
		expect(financialQuarter('2027-01-01')).toEqual({ year: 2026, quarter: 3 });
		expect(financialQuarter('2027-03-31')).toEqual({ year: 2026, quarter: 3 });
		expect(financialQuarter('2026-03-31')).toEqual({ year: 2025, quarter: 3 });
		expect(() => financialQuarter('2026-13')).toThrow();
		expect(() => financialQuarter('March')).toThrow();
	});

	it('names the year and its bounds', () => {
		expect(financialYearWords(2026)).toBe('2026/27');
		expect(financialYearWords(2099)).toBe('2099/00');
		expect(financialYearBounds(2026)).toEqual({ from: '2026-04-01', to: '2027-03-31' });
	});

	it('buckets monthly counts into the quarters of one year, in the rows’ order, leaving out other years and unknown rows', () => {
		const table = quarterTable(
			['panel', 'transport_review'],
			[
				{ key: 'panel', month: '2026-04', count: 2 },
				{ key: 'panel', month: '2026-05', count: 3 },
				{ key: 'transport_review', month: '2027-02', count: 4 },
				{ key: 'panel', month: '2026-03', count: 9 },
				{ key: 'panel', month: '2027-04', count: 9 },
				{ key: 'elsewhere', month: '2026-08', count: 9 }
			],
			2026
		);
		expect(table).toEqual([
			[5, 0, 0, 0],
			[0, 0, 0, 4]
		]);
	});
});

/** What a reader sees: every shown number, with hidden ones as null. */
const published = (t: SuppressedTable) => JSON.stringify([t.cells, t.rowTotals, t.columnTotals, t.total]);

/** Every sum the page prints (each row to its total, each column to its, the totals row to the grand total) has no hidden part or at least two. */
function noLoneHiddenPart(t: SuppressedTable) {
	const grid = [...t.cells.map((row, i) => [...row, t.rowTotals[i]]), [...t.columnTotals, t.total]];
	for (const line of grid) expect(line.filter((v) => v === null).length).not.toBe(1);
	for (let j = 0; j < grid[0].length; j++) expect(grid.map((row) => row[j]).filter((v) => v === null).length).not.toBe(1);
}

describe('suppression', () => {
	it('hides counts from 1 to 4 by default, not zeros or counts of 5 and more', () => {
		expect(DEFAULT_SUPPRESSION_THRESHOLD).toBe(5);
		const t = suppress([
			[0, 5, 7, 12],
			[10, 20, 30, 40]
		]);
		expect(t.anyHidden).toBe(false);
		expect(t.cells).toEqual([
			[0, 5, 7, 12],
			[10, 20, 30, 40]
		]);
		expect(t.rowTotals).toEqual([24, 100]);
		expect(t.columnTotals).toEqual([10, 25, 37, 52]);
		expect(t.total).toBe(124);
	});

	it('hides a second cell in the row and column of a small one, so it cannot be worked out from the totals', () => {
		const counts = [
			[3, 10, 12, 20],
			[8, 15, 9, 30]
		];
		const t = suppress(counts);
		expect(t.cells[0][0]).toBeNull();
		// Without secondary suppression the 3 would be its row total (45) less 10, 12 and 20.
		const hiddenInRow0 = t.cells[0].filter((v) => v === null).length + (t.rowTotals[0] === null ? 1 : 0);
		expect(hiddenInRow0).toBeGreaterThanOrEqual(2);
		noLoneHiddenPart(t);
		// The smallest other cells go: 10 in its row, 8 in its column, then 15 to cover the 10's column;
		// the totals all stay, and no sum has a lone hidden part.
		expect(t.cells).toEqual([
			[null, null, 12, 20],
			[null, null, 9, 30]
		]);
		expect(t.rowTotals).toEqual([45, 62]);
		expect(t.columnTotals).toEqual([11, 25, 21, 50]);
	});

	it('publishes the same figures for a different table with the same visible counts: the hidden ones cannot be derived', () => {
		const counts = [
			[3, 10, 12, 20],
			[8, 15, 9, 30]
		];
		const t = suppress(counts);
		// Moving one between hidden cells around a rectangle keeps every total and every shown count.
		const other = [
			[4, 9, 12, 20],
			[7, 16, 9, 30]
		];
		const u = suppress(other);
		expect(published(t)).toBe(published(u));
		// So the reader cannot tell a 3 from a 4 in the first cell.
		expect(counts[0][0]).not.toBe(other[0][0]);
	});

	it('hides totals that are themselves small, and the cells they would give away', () => {
		const t = suppress([
			[0, 2, 0, 0],
			[6, 7, 8, 9]
		]);
		expect(t.rowTotals[0]).toBeNull();
		expect(t.cells[0][1]).toBeNull();
		noLoneHiddenPart(t);
	});

	it('with one row, hides the matching totals too (they equal the row)', () => {
		const t = suppress([[1, 6, 7, 8]]);
		expect(t.cells[0][0]).toBeNull();
		expect(t.columnTotals[0]).toBeNull();
		noLoneHiddenPart(t);
	});

	it('keeps every printed sum free of a lone hidden part for many tables, and honours another threshold', () => {
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 14;
		for (let n = 0; n < 200; n++) {
			const rows = 1 + (next() % 6);
			const counts = Array.from({ length: rows }, () => Array.from({ length: 4 }, next));
			const t = suppress(counts, 3 + (n % 8));
			noLoneHiddenPart(t);
			counts.forEach((row, i) => row.forEach((v, j) => v > 0 && v < 3 + (n % 8) && expect(t.cells[i][j]).toBeNull()));
		}
		expect(suppress([[3, 9]], 3).cells).toEqual([[3, 9]]);
	});

	it('reads its threshold from the environment, falling back to 5 on anything odd', () => {
		expect(suppressionThreshold({})).toBe(5);
		expect(suppressionThreshold({ DISPUTES_SUPPRESSION_THRESHOLD: '10' })).toBe(10);
		for (const odd of ['1', '0', '-5', '2.5', 'ten', '1000']) expect(suppressionThreshold({ DISPUTES_SUPPRESSION_THRESHOLD: odd })).toBe(5);
	});
});

describe('who may see the governance figures', () => {
	const CHERWELL = { id: 1, name: 'Cherwell' };
	const person = (id: number, roles: Partial<Actor>): Actor => ({ id, name: `P${id}`, email: `p${id}@example.test`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [], ...roles });
	const inDistrict = (id: number, districtId: number, role: 'sendiass_officer' | 'panel_member' | 'pcf_rep') =>
		person(id, { clusterRoles: [{ clusterId: districtId, clusterName: 'D', clusterKind: 'district', role }], clusterIds: [districtId] });
	const atSetting = (id: number, role: 'headteacher' | 'senco') => person(id, { settingRoles: [{ settingId: 100, settingName: 'S', clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });

	it('allows the district’s SENDIASS officers and council officers', () => {
		for (const who of [inDistrict(1, 1, 'sendiass_officer'), person(2, { countyRole: 'officer' }), person(3, { countyRole: 'admin' })]) {
			expect(can(who, { action: 'disputes.reports.view', district: CHERWELL })).toEqual({ allowed: true });
		}
	});

	it('refuses headteachers, SENCOs, PCF reps, panel members and another district’s officers, saying why', () => {
		for (const who of [atSetting(4, 'headteacher'), atSetting(5, 'senco'), inDistrict(6, 1, 'pcf_rep'), inDistrict(7, 1, 'panel_member'), inDistrict(8, 2, 'sendiass_officer'), person(9, {})]) {
			const decision = can(who, { action: 'disputes.reports.view', district: CHERWELL });
			expect(decision.allowed).toBe(false);
			expect(decision).toMatchObject({ reason: expect.stringContaining('SENDIASS officers and council officers') });
		}
		expect(can(null, { action: 'disputes.reports.view', district: CHERWELL }).allowed).toBe(false);
	});
});
