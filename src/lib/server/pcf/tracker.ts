import { sql, type Kysely, type RawBuilder } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { ukToday } from '$lib/dates';
import { SOURCE_LABELS, type PointSource } from '$lib/pcf/model';
import { periodLabel, TRACKER_PERIOD_LABELS, type TrackerFigures, type TrackerFilters, type TrackerRow } from '$lib/pcf/tracker';
import { bankHolidaysIn, guardCell } from './rules';
import { districtPage } from '../workspace/queries';
import type { Cursor } from '../paging';

type Reader = Kysely<DB>;

// The PCF feedback tracker: every point (the forum's own and families' aggregated feedback)
// counted by period, theme, district and source, with the median working days to a published
// answer and to delivery. All of it is grouped SQL: each point's working days are counted in the
// database against England's bank holidays from the same calendar the overdue rule uses (see
// rules.ts), and percentile_cont takes the median. A point is raised on the day it entered the
// portal, as the overdue rule counts it. Only counts leave the database: never a point's words, a
// name or anything about a child.

/** Working days after `from` up to and including `to`, in SQL (the same count as workingDaysBetween). */
const workingDays = (from: RawBuilder<unknown>, to: RawBuilder<unknown>, holidays: string[]) =>
	sql`(select count(*) from generate_series((${from} + 1)::timestamp, (${to})::timestamp, interval '1 day') as d
		where extract(isodow from d) < 6 and d::date <> all(${holidays}::date[]))`;

/** Each point under the filters, with its period, status and working days (one row a point, not yet grouped). */
function pointsUnder(filters: TrackerFilters, holidays: string[]) {
	const raised = sql`(p.created_at at time zone 'UTC')::date`;
	const published = sql`(p.answer_published_at at time zone 'UTC')::date`;
	const where = [sql`true`];
	if (filters.districtId !== null) where.push(sql`p.district_id = ${filters.districtId}`);
	if (filters.source !== null) where.push(sql`p.source = ${filters.source}`);
	if (filters.themeId !== null) where.push(sql`exists (select 1 from pcf_point_theme as ft where ft.point_id = p.id and ft.theme_id = ${filters.themeId})`);
	return sql`select p.id, p.district_id, p.source,
			date_trunc(${filters.period}, ${raised}::timestamp)::date as period,
			p.answer_published_at is not null as answered,
			p.answer_published_at is not null and p.answer = 'will_change' and p.delivered_on is null as changing,
			p.answer_published_at is not null and p.delivered_on is not null as delivered,
			case when p.answer_published_at is not null then ${workingDays(raised, published, holidays)} end as answer_days,
			case when p.answer_published_at is not null and p.delivered_on is not null then ${workingDays(raised, sql`p.delivered_on`, holidays)} end as deliver_days
		from pcf_point as p
		where ${sql.join(where, sql` and `)}`;
}

const FIGURES = sql`count(*) as points,
	count(*) filter (where not t.answered) as waiting,
	count(*) filter (where t.answered) as answered,
	count(*) filter (where t.changing) as changing,
	count(*) filter (where t.delivered) as delivered,
	percentile_cont(0.5) within group (order by t.answer_days) as median_answer,
	percentile_cont(0.5) within group (order by t.deliver_days) as median_deliver`;

interface FigureRow {
	points: string | number;
	waiting: string | number;
	answered: string | number;
	changing: string | number;
	delivered: string | number;
	median_answer: number | null;
	median_deliver: number | null;
}

const figuresOf = (row: FigureRow | undefined): TrackerFigures => ({
	points: Number(row?.points ?? 0),
	waiting: Number(row?.waiting ?? 0),
	answered: Number(row?.answered ?? 0),
	changing: Number(row?.changing ?? 0),
	delivered: Number(row?.delivered ?? 0),
	medianAnswerDays: row?.median_answer ?? null,
	medianDeliverDays: row?.median_deliver ?? null
});

export interface Tracker {
	filters: TrackerFilters;
	total: TrackerFigures;
	byPeriod: TrackerRow[];
	byTheme: TrackerRow[];
	/** A page of districts by name (every active district, with or without points), or the chosen district alone. */
	byDistrict: TrackerRow[];
	/** Cursors for the by-district table's other pages (`?districts=…`), null at either end. */
	districtPages: { next: string | null; previous: string | null };
	bySource: TrackerRow[];
	/** The district the figures are for; null for every district. */
	district: { id: number; name: string } | null;
	themes: { id: number; name: string; retired: boolean }[];
}

/** The district a representative sees first: their own group's (the first, if they sit on more than one). */
export function ownDistrictOf(actor: Actor): number | null {
	return actor.clusterRoles.find((r) => r.role === 'pcf_rep' && r.clusterKind === 'district')?.clusterId ?? null;
}

/**
 * The tracker's figures under the filters: five grouped queries, one row per period, theme,
 * district or source. The by-district table is a page of districts by name (`districts`: its
 * cursor; England has hundreds), each counted, zeros included; `'all'` (the CSV) is every
 * district with a point. With a district chosen it is that district's row alone.
 */
export async function trackerData(db: Reader, actor: Actor, filters: TrackerFilters, districts: Cursor | null | 'all' = null): Promise<Tracker> {
	assertCan(actor, { action: 'pcf.tracker.view' });
	const first = await sql<{ year: number | null }>`select extract(year from min(created_at at time zone 'UTC'))::int as year from pcf_point`.execute(db);
	const thisYear = Number(ukToday().slice(0, 4));
	const holidays = bankHolidaysIn(Math.min(first.rows[0]?.year ?? thisYear, thisYear), thisYear + 1);
	const points = pointsUnder(filters, holidays);
	type Keyed = FigureRow & { key: string | number | null; label: string | null };
	const [total, byPeriod, byTheme, byDistrict, bySource, district, themes] = await Promise.all([
		sql<FigureRow>`select ${FIGURES} from (${points}) as t`.execute(db),
		sql<Keyed>`select to_char(t.period, 'YYYY-MM-DD') as key, null as label, ${FIGURES} from (${points}) as t group by t.period order by t.period`.execute(db),
		// A point with two themes counts under each; one with none under "No theme".
		sql<Keyed>`select coalesce(th.id, 0) as key, th.name as label, ${FIGURES}
			from (${points}) as t left join pcf_point_theme as pt on pt.point_id = t.id left join pcf_theme as th on th.id = pt.theme_id
			group by th.id, th.name order by th.name nulls last`.execute(db),
		districtRows(db, points, filters.districtId === null ? districts : 'all'),
		sql<Keyed>`select t.source as key, null as label, ${FIGURES} from (${points}) as t group by t.source order by t.source`.execute(db),
		filters.districtId === null ? null : db.selectFrom('cluster').select(['id', 'name']).where('id', '=', filters.districtId).where('kind', '=', 'district').executeTakeFirst(),
		db.selectFrom('pcf_theme').select(['id', 'name', 'retired']).orderBy('name').execute()
	]);
	return {
		filters,
		total: figuresOf(total.rows[0]),
		byPeriod: byPeriod.rows.map((r) => ({ key: String(r.key), label: periodLabel(filters.period, String(r.key)), ...figuresOf(r) })),
		byTheme: byTheme.rows.map((r) => ({ key: String(r.key), label: r.label ?? 'No theme', ...figuresOf(r) })),
		byDistrict: byDistrict.rows,
		districtPages: { next: byDistrict.next, previous: byDistrict.previous },
		bySource: bySource.rows.map((r) => ({ key: String(r.key), label: SOURCE_LABELS[r.key as PointSource], ...figuresOf(r) })),
		district: district ?? null,
		themes
	};
}

/** The by-district rows: every district with a point (`'all'`), or a page of active districts by name, each counted in one grouped query. */
async function districtRows(db: Reader, points: RawBuilder<unknown>, cursor: Cursor | null | 'all') {
	type Keyed = FigureRow & { key: number; label: string };
	const counted = (ids: number[] | 'all') =>
		sql<Keyed>`select d.id as key, d.name as label, ${FIGURES} from (${points}) as t join cluster as d on d.id = t.district_id
			${ids === 'all' ? sql`` : sql`where t.district_id = any(${ids}::int[])`}
			group by d.id, d.name order by d.name`.execute(db);
	if (cursor === 'all') {
		const { rows } = await counted('all');
		return { rows: rows.map((r) => ({ key: String(r.key), label: r.label, ...figuresOf(r) })), next: null, previous: null };
	}
	const page = await districtPage(db, { activeOnly: true, cursor });
	const { rows } = await counted(page.items.map((d) => d.id));
	const byId = new Map(rows.map((r) => [Number(r.key), r]));
	return { rows: page.items.map((d) => ({ key: String(d.id), label: d.name, ...figuresOf(byId.get(d.id)) })), next: page.next, previous: page.previous };
}

const median = (days: number | null) => (days === null ? '' : String(Math.round(days * 10) / 10));

/** The tracker as one CSV (a row kind a table), the filters it was made under first. Names are guarded against spreadsheet formulas. */
export function trackerCsv(tracker: Tracker): string {
	const { filters } = tracker;
	const nameOf = <T extends { id: number; name: string }>(list: T[], id: number | null, all: string) => (id === null ? all : (list.find((x) => x.id === id)?.name ?? all));
	const districtWords = tracker.district?.name ?? 'all districts';
	const rows: (string | number)[][] = [
		['table', 'name', 'points', 'waiting for an answer', 'answered', 'change on its way', 'change made', 'median working days to answer', 'median working days to deliver']
	];
	const add = (table: string, row: TrackerFigures & { label: string }) =>
		rows.push([table, guardCell(row.label), row.points, row.waiting, row.answered, row.changing, row.delivered, median(row.medianAnswerDays), median(row.medianDeliverDays)]);
	add('filters', {
		...tracker.total,
		label: [
			`District: ${districtWords}`,
			`Theme: ${nameOf(tracker.themes, filters.themeId, 'all themes')}`,
			`Source: ${filters.source ? SOURCE_LABELS[filters.source] : 'all sources'}`,
			`By: ${TRACKER_PERIOD_LABELS[filters.period].toLowerCase()}`
		].join('; ')
	});
	for (const row of tracker.byPeriod) add(filters.period, row);
	for (const row of tracker.byTheme) add('theme', row);
	for (const row of tracker.byDistrict) add('district', row);
	for (const row of tracker.bySource) add('source', row);
	return stringify(rows);
}
