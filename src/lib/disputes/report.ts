// Governance reporting for the dispute-resolution panels: the pure parts. Figures are counted by
// financial quarter (the council's year, 1 April to 31 March: Q1 April–June, Q2 July–September,
// Q3 October–December, Q4 January–March), and small numbers are suppressed before anything is
// shown or downloaded, with secondary suppression so a hidden cell cannot be worked out from the
// row and column totals printed beside it.

export const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export const QUARTER_LABELS = ['Q1 (Apr–Jun)', 'Q2 (Jul–Sep)', 'Q3 (Oct–Dec)', 'Q4 (Jan–Mar)'] as const;

/** The default threshold: a count from 1 to 4 is hidden. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** How a hidden cell is written in tables and the CSV (the ONS convention). */
export const SUPPRESSED = '[c]';

/** The financial year (by its starting year) and quarter (0 to 3) a month ('YYYY-MM' or a date) falls in. */
export function financialQuarter(monthOrDate: string): { year: number; quarter: number } {
	const match = /^(\d{4})-(\d{2})/.exec(monthOrDate);
	if (!match) throw new Error(`Not a month: ${monthOrDate}`);
	const year = Number(match[1]);
	const month = Number(match[2]);
	if (month < 1 || month > 12) throw new Error(`Not a month: ${monthOrDate}`);
	return { year: month >= 4 ? year : year - 1, quarter: Math.floor(((month + 8) % 12) / 3) };
}

/** The first and last dates of a financial year, given its starting year. */
export const financialYearBounds = (year: number) => ({ from: `${year}-04-01`, to: `${year + 1}-03-31` });

/** "2026/27" for the year starting April 2026. */
export const financialYearWords = (year: number) => `${year}/${String((year + 1) % 100).padStart(2, '0')}`;

/** The financial year a date is in (its starting year). */
export const financialYearOf = (iso: string) => financialQuarter(iso).year;

/** A grouped count as SQL returns it: a row of the table, a month, how many. */
export interface MonthCount<K extends string> {
	key: K;
	month: string;
	count: number;
}

/**
 * Buckets monthly counts into a table of rows by quarter for one financial year: rows in the
 * order given (every one shown, zero or not), counts outside the year or for unknown rows left out.
 */
export function quarterTable<K extends string>(keys: readonly K[], counts: readonly MonthCount<K>[], year: number): number[][] {
	const table = keys.map(() => [0, 0, 0, 0]);
	for (const { key, month, count } of counts) {
		const row = keys.indexOf(key);
		const at = financialQuarter(month);
		if (row < 0 || at.year !== year) continue;
		table[row][at.quarter] += count;
	}
	return table;
}

/** A table ready to show: null where a number is hidden. */
export interface SuppressedTable {
	cells: (number | null)[][];
	rowTotals: (number | null)[];
	columnTotals: (number | null)[];
	total: number | null;
	/** Whether anything is hidden (the page then explains [c]). */
	anyHidden: boolean;
}

/**
 * Hides small numbers in a table of counts that is published with its row totals, column totals
 * and grand total. Primary: any count (cell or total) from 1 to threshold − 1. Secondary: the
 * table with its totals is a set of sums (each row adds up to its total, each column to its
 * total, the totals row to the grand total), and a sum with exactly one hidden part gives that
 * part away by subtraction; so while any sum has exactly one hidden part, the smallest visible
 * part of it is hidden too (an inner cell before a total, a non-zero count before a zero), until
 * every sum has no hidden part or at least two. Zeros are not primary-suppressed (a zero names
 * nobody) but may be hidden as secondary cells. Pure: the same table always hides the same cells.
 */
export function suppress(counts: readonly (readonly number[])[], threshold = DEFAULT_SUPPRESSION_THRESHOLD): SuppressedTable {
	const rows = counts.length;
	const columns = rows ? counts[0].length : 0;
	// The full grid: cells, a totals column at `columns`, a totals row at `rows`.
	const grid: number[][] = counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
	const totalsRow = Array.from({ length: columns + 1 }, (_, j) => grid.reduce((sum, row) => sum + row[j], 0));
	grid.push(totalsRow);
	const hidden = grid.map((row) => row.map((value) => value > 0 && value < threshold));

	// Each sum as the list of its positions: rows (with their total) and columns (with theirs).
	const lines: [number, number][][] = [];
	for (let i = 0; i <= rows; i++) lines.push(Array.from({ length: columns + 1 }, (_, j) => [i, j] as [number, number]));
	for (let j = 0; j <= columns; j++) lines.push(Array.from({ length: rows + 1 }, (_, i) => [i, j] as [number, number]));

	const rank = ([i, j]: [number, number]) => {
		const value = grid[i][j];
		const isTotal = i === rows || j === columns;
		// Inner before totals, non-zero before zero, then the smallest.
		return [isTotal ? 1 : 0, value === 0 ? 1 : 0, value];
	};
	const before = (a: [number, number], b: [number, number]) => {
		const [ra, rb] = [rank(a), rank(b)];
		for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k] < rb[k];
		return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
	};

	if (rows && columns) {
		let changed = true;
		while (changed) {
			changed = false;
			for (const line of lines) {
				if (line.filter(([i, j]) => hidden[i][j]).length !== 1) continue;
				let pick: [number, number] | null = null;
				for (const at of line) if (!hidden[at[0]][at[1]] && (pick === null || before(at, pick))) pick = at;
				if (pick) {
					hidden[pick[0]][pick[1]] = true;
					changed = true;
				}
			}
		}
	}

	const shown = (i: number, j: number) => (hidden[i][j] ? null : grid[i][j]);
	return {
		cells: counts.map((row, i) => row.map((_, j) => shown(i, j))),
		rowTotals: counts.map((_, i) => shown(i, columns)),
		columnTotals: Array.from({ length: columns }, (_, j) => shown(rows, j)),
		total: shown(rows, columns),
		anyHidden: hidden.some((row) => row.some(Boolean))
	};
}

/** A shown count in words for a table cell or the CSV. */
export const countText = (value: number | null) => (value === null ? SUPPRESSED : String(value));
