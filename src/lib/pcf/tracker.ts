import { POINT_SOURCES, type PointSource } from './model';

// The PCF feedback tracker as both ends see it: how points are bucketed in time, what the filters
// in a page address mean, and the figures of one row. Plain, so the page and the CSV share them.

export const TRACKER_PERIODS = ['quarter', 'month'] as const;
export type TrackerPeriod = (typeof TRACKER_PERIODS)[number];
export const TRACKER_PERIOD_LABELS: Record<TrackerPeriod, string> = { quarter: 'Quarter', month: 'Month' };

export interface TrackerFilters {
	/** Null: every district. */
	districtId: number | null;
	themeId: number | null;
	source: PointSource | null;
	period: TrackerPeriod;
}

/** One row of the tracker: a period, theme, district or source, or the total. */
export interface TrackerFigures {
	points: number;
	/** Waiting for a published answer. */
	waiting: number;
	/** With a published answer (whatever it says). */
	answered: number;
	/** Answered "will change", not yet delivered. */
	changing: number;
	/** The change was made. */
	delivered: number;
	/** Median working days from a point being raised to its answer being published; null when none answered. */
	medianAnswerDays: number | null;
	/** Median working days from a point being raised to its change being made; null when none delivered. */
	medianDeliverDays: number | null;
}

/** A row of one of the tracker's tables: its key (a period's first day, an id or a source) and its words. */
export interface TrackerRow extends TrackerFigures {
	key: string;
	label: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT = MONTHS.map((m) => m.slice(0, 3));

/** The first day of the quarter or month holding an ISO date (as PostgreSQL's date_trunc gives it). */
export function periodStart(period: TrackerPeriod, iso: string): string {
	const year = iso.slice(0, 4);
	const month = Number(iso.slice(5, 7));
	const first = period === 'month' ? month : Math.floor((month - 1) / 3) * 3 + 1;
	return `${year}-${String(first).padStart(2, '0')}-01`;
}

/** A period in words: "November 2026", or a calendar quarter as "Oct to Dec 2026". */
export function periodLabel(period: TrackerPeriod, start: string): string {
	const year = start.slice(0, 4);
	const month = Number(start.slice(5, 7)) - 1;
	if (period === 'month') return `${MONTHS[month]} ${year}`;
	const first = Math.floor(month / 3) * 3;
	return `${SHORT[first]} to ${SHORT[first + 2]} ${year}`;
}

/**
 * The filters from a page address. Anything not understood is left out rather than refused (the
 * page is a report, not a form). With no `district` at all the person's own district is shown;
 * `district=` (the "All districts" choice) shows every district.
 */
export function trackerFiltersFromQuery(params: URLSearchParams, ownDistrictId: number | null): TrackerFilters {
	const id = (name: string) => {
		const value = params.get(name);
		return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
	};
	const source = params.get('source');
	const period = params.get('period');
	return {
		districtId: params.has('district') ? id('district') : ownDistrictId,
		themeId: id('theme'),
		source: POINT_SOURCES.find((s) => s === source) ?? null,
		period: TRACKER_PERIODS.find((p) => p === period) ?? 'quarter'
	};
}

/** The same filters as a query string (for the CSV link and the form's values); empty filters are kept so "all districts" stays all. */
export function trackerQuery(filters: TrackerFilters): string {
	const params = new URLSearchParams({
		district: filters.districtId === null ? '' : String(filters.districtId),
		theme: filters.themeId === null ? '' : String(filters.themeId),
		source: filters.source ?? '',
		period: filters.period
	});
	return `?${params.toString()}`;
}

/** A median of working days in words: one decimal place at most, "None yet" when there is nothing to measure. */
export function formatDays(days: number | null): string {
	if (days === null) return 'None yet';
	const rounded = Math.round(days * 10) / 10;
	return `${rounded.toLocaleString('en-GB')} ${rounded === 1 ? 'day' : 'days'}`;
}
