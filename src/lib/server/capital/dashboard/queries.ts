import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { idSchema } from '$lib/schemas/common';
import { whole } from '$lib/schemas/bids';
import { APPLICATION_STAGES, PIPELINE_PHASE, type RegisterStatus } from '$lib/capital/flow';
import { currentSeq } from '../../live/catch-up';
import { programmeRoom } from '$lib/capital/live';
import { districtPage } from '../../workspace/queries';
import type { Cursor } from '../../paging';
import { coming, districtGaps, districtLine, placesBy, placesForLines, type OccupiedRow, type PipelineRow } from '$lib/capital/dashboard/aggregate';

// The sufficiency dashboard's data: a handful of grouped queries (each returns one row per
// district, line, stage, source or year, however many applications there are), then the pure
// arithmetic in $lib/capital/dashboard. Filters narrow every query the same way.

/** The stages counted as approved or further on (the pipeline the dashboard shows). */
const COUNTED_STAGES = APPLICATION_STAGES.filter((stage) => {
	const phase = PIPELINE_PHASE[stage];
	return phase === 'approved' || phase === 'in_delivery' || phase === 'open';
});

/** A district or line with no base yet. */
const zero = { approved: 0, in_delivery: 0, open: 0, occupied: 0, bases: 0 };

const optionalId = z.union([z.literal(''), z.null(), whole(idSchema('Choose from the list'))]).transform((v) => (v === '' || v === null ? null : v));
export const dashboardFiltersSchema = z.object({
	districtId: optionalId.optional(),
	lineId: optionalId.optional(),
	year: z
		.union([z.literal(''), z.null(), whole(z.number().int().min(2000, 'Choose a year from the list').max(2100, 'Choose a year from the list'))])
		.transform((v) => (v === '' || v === null ? null : v))
		.optional()
});
export type DashboardFilters = { districtId?: number | null; lineId?: number | null; year?: number | null };

/** The filters from a page address; anything not understood is left out rather than refused. */
export function filtersFromQuery(params: URLSearchParams): DashboardFilters {
	const read = (name: string) => {
		const value = params.get(name);
		return value && /^\d{1,10}$/.test(value) ? Number(value) : null;
	};
	const year = read('year');
	return { districtId: read('district'), lineId: read('line'), year: year !== null && year >= 2000 && year <= 2100 ? year : null };
}

/** The dashboard's grouped queries under the filters, not yet run (the plan tests EXPLAIN them). */
export function dashboardQueries(db: Database, filters: DashboardFilters) {
	const { districtId = null, lineId = null, year = null } = filters;
	let pipelineQuery = db
		.selectFrom('capital_application as a')
		.select(['a.district_id', 'a.line_id', 'a.stage', sql<string>`count(*)`.as('applications'), sql<string>`coalesce(sum(a.places), 0)`.as('places')])
		.where('a.stage', 'in', COUNTED_STAGES)
		.groupBy(['a.district_id', 'a.line_id', 'a.stage']);
	// The latest term recorded for each open base.
	let occupiedQuery = db
		.selectFrom('capital_application as a')
		.innerJoinLateral(
			(eb) =>
				eb
					.selectFrom('capital_occupancy as o')
					.select('o.occupied')
					.whereRef('o.application_id', '=', 'a.id')
					.orderBy('o.year', 'desc')
					.orderBy(sql`array_position(array['autumn','spring','summer'], o.term)`, 'desc')
					.limit(1)
					.as('latest'),
			(join) => join.onTrue()
		)
		.select(['a.district_id', 'a.line_id', sql<string>`sum(latest.occupied)`.as('occupied')])
		.where('a.stage', '=', 'open')
		.groupBy(['a.district_id', 'a.line_id']);
	let moneyQuery = db
		.selectFrom('capital_commitment as c')
		.select(['c.line_id', 'c.source_id', 'c.year', 'c.kind', sql<string>`sum(c.amount_pence)`.as('total')])
		.groupBy(['c.line_id', 'c.source_id', 'c.year', 'c.kind']);
	let spendQuery = db
		.selectFrom('capital_spend as s')
		.select(['s.line_id', sql<number>`extract(year from s.spent_on - interval '3 months')::int`.as('year'), sql<string>`sum(s.amount_pence)`.as('total')])
		.groupBy(['s.line_id', sql`2`]);
	let rolloutQuery = db.selectFrom('capital_rollout as r').select(['r.status', sql<string>`count(*)`.as('n')]).groupBy('r.status');
	if (districtId !== null) {
		pipelineQuery = pipelineQuery.where('a.district_id', '=', districtId);
		occupiedQuery = occupiedQuery.where('a.district_id', '=', districtId);
		moneyQuery = moneyQuery.where((eb) => eb.exists(eb.selectFrom('capital_application as a').select('a.id').whereRef('a.id', '=', 'c.application_id').where('a.district_id', '=', districtId)));
		spendQuery = spendQuery.where((eb) => eb.exists(eb.selectFrom('capital_application as a').select('a.id').whereRef('a.id', '=', 's.application_id').where('a.district_id', '=', districtId)));
		rolloutQuery = rolloutQuery
			.innerJoin('setting as st', 'st.id', 'r.setting_id')
			.innerJoin('cluster as loc', 'loc.id', 'st.cluster_id')
			.where((eb) => eb(eb.fn.coalesce('loc.parent_id', 'loc.id'), '=', districtId));
	}
	if (lineId !== null) {
		pipelineQuery = pipelineQuery.where('a.line_id', '=', lineId);
		occupiedQuery = occupiedQuery.where('a.line_id', '=', lineId);
		moneyQuery = moneyQuery.where('c.line_id', '=', lineId);
		spendQuery = spendQuery.where('s.line_id', '=', lineId);
		rolloutQuery = rolloutQuery.where('r.line_id', '=', lineId);
	}
	if (year !== null) {
		pipelineQuery = pipelineQuery.where('a.opening_year', '=', year);
		occupiedQuery = occupiedQuery.where('a.opening_year', '=', year);
		moneyQuery = moneyQuery.where('c.year', '=', year);
		spendQuery = spendQuery.where('s.spent_on', '>=', `${year}-04-01`).where('s.spent_on', '<', `${year + 1}-04-01`);
		rolloutQuery = rolloutQuery.where('r.planned_year', '=', year);
	}
	return { pipelineQuery, occupiedQuery, moneyQuery, spendQuery, rolloutQuery };
}

/**
 * The figures as last worked out, per database and filters, with the programme room's event number
 * they were read at. Every change the dashboard shows (money, set-up, and an application's stage
 * moves, which the live page follows there too) is announced in that room in the change's own
 * transaction, so a figure read at the room's current number is current, on every instance.
 * The same for every officer: nothing about the person is kept.
 */
const remembered = new WeakMap<Database, Map<string, { seq: number; figures: Promise<SufficiencyFigures> }>>();
const REMEMBERED_FILTERS = 500;

/**
 * Every figure the dashboard shows, from grouped queries; the public summary reads the same without
 * money by source. Worked out once per change to the programme (one indexed read of the room's
 * number otherwise), and then on one pooled connection: many officers at once queue for one
 * connection each, rather than each holding ten (which ran the pool dry at 200 readers).
 */
export async function sufficiencyFigures(pool: Database, filters: DashboardFilters) {
	const key = JSON.stringify([filters.districtId ?? null, filters.lineId ?? null, filters.year ?? null]);
	// The number first: figures read after it are at least as new as it says.
	const seq = await currentSeq(pool, programmeRoom);
	let byFilters = remembered.get(pool);
	if (!byFilters) remembered.set(pool, (byFilters = new Map()));
	const known = byFilters.get(key);
	if (known && known.seq >= seq) return known.figures;
	if (byFilters.size >= REMEMBERED_FILTERS) byFilters.clear();
	const figures = pool.connection().execute((db) => figuresOn(db, filters));
	byFilters.set(key, { seq, figures });
	// A failed read is not remembered: the next request tries again.
	figures.catch(() => byFilters.get(key)?.figures === figures && byFilters.delete(key));
	return figures;
}

async function figuresOn(db: Database, filters: DashboardFilters) {
	const { districtId = null, lineId = null, year = null } = filters;
	const { pipelineQuery, occupiedQuery, moneyQuery, spendQuery, rolloutQuery } = dashboardQueries(db, filters);
	const [pipelineRows, occupiedRows, moneyRows, spendRows, rolloutRows, districts, lines, sources, targets, targetLines] = await Promise.all([
		pipelineQuery.execute(),
		occupiedQuery.execute(),
		moneyQuery.execute(),
		spendQuery.execute(),
		rolloutQuery.execute(),
		db.selectFrom('cluster').select(['id', 'name']).where('kind', '=', 'district').orderBy('name').execute(),
		db.selectFrom('capital_line').select(['id', 'name', 'allocation_pence', 'planned_places', 'place_definition']).orderBy('name').execute(),
		db.selectFrom('capital_source').select(['id', 'name', 'status']).orderBy('name').execute(),
		db.selectFrom('capital_target').select(['id', 'name', 'definition', 'baseline', 'figures']).orderBy('name').execute(),
		db.selectFrom('capital_target_line').select(['target_id', 'line_id']).execute()
	]);
	const pipeline: PipelineRow[] = pipelineRows.map((r) => ({ districtId: r.district_id, lineId: r.line_id, stage: r.stage, applications: Number(r.applications), places: Number(r.places) }));
	const occupied: OccupiedRow[] = occupiedRows.map((r) => ({ districtId: r.district_id, lineId: r.line_id, occupied: Number(r.occupied) }));
	const byDistrict = placesBy(pipeline, occupied, (r) => r.districtId);
	const byLine = placesBy(pipeline, occupied, (r) => r.lineId);
	const byDistrictLine = placesBy(pipeline, occupied, districtLine);
	const shownDistricts = districtId === null ? districts : districts.filter((d) => d.id === districtId);
	const shownLines = lineId === null ? lines : lines.filter((l) => l.id === lineId);
	const rollout: Record<RegisterStatus, number> = { not_engaged: 0, in_conversation: 0, application: 0, approved: 0, in_delivery: 0, open: 0 };
	for (const row of rolloutRows) rollout[row.status] = Number(row.n);
	const lineName = new Map(lines.map((l) => [l.id, l.name]));
	const sourceName = new Map(sources.map((s) => [s.id, s.name]));
	return {
		filters: { districtId, lineId, year },
		lines: lines.map((l) => ({ id: l.id, name: l.name })),
		placesByDistrict: shownDistricts.map((d) => ({ id: d.id, name: d.name, ...(byDistrict.get(d.id) ?? zero) })),
		placesByLine: shownLines.map((l) => ({ id: l.id, name: l.name, placeDefinition: l.place_definition, ...(byLine.get(l.id) ?? zero) })),
		targets: targets.map((t) => {
			const counted = targetLines.filter((tl) => tl.target_id === t.id && (lineId === null || tl.line_id === lineId)).map((tl) => tl.line_id);
			const places = placesForLines(byLine, counted);
			return { ...t, lines: counted.map((id) => lineName.get(id) ?? ''), ...places, coming: coming(places) };
		}),
		gaps: districtGaps(shownDistricts, shownLines.map((l) => ({ id: l.id, plannedPlaces: l.planned_places })), byDistrictLine),
		rollout,
		money: moneyRows
			.map((r) => ({ line: lineName.get(r.line_id) ?? '', source: sourceName.get(r.source_id) ?? '', year: r.year, kind: r.kind, pence: Number(r.total) }))
			.sort((a, b) => a.line.localeCompare(b.line) || a.source.localeCompare(b.source) || a.year - b.year || a.kind.localeCompare(b.kind)),
		spend: spendRows.map((r) => ({ line: lineName.get(r.line_id) ?? '', year: Number(r.year), pence: Number(r.total) })).sort((a, b) => a.line.localeCompare(b.line) || a.year - b.year),
		moneyByLine: shownLines.map((l) => ({
			name: l.name,
			allocation: l.allocation_pence ?? 0,
			committed: moneyRows.filter((r) => r.line_id === l.id && r.kind === 'committed').reduce((t, r) => t + Number(r.total), 0),
			spent: spendRows.filter((r) => r.line_id === l.id).reduce((t, r) => t + Number(r.total), 0)
		}))
	};
}

export type SufficiencyFigures = Awaited<ReturnType<typeof figuresOn>>;

/** How many of the districts furthest behind the dashboard shows (the CSV has every one). */
export const GAPS_SHOWN = 10;

/**
 * A page of districts by name for the places-by-district table (England has hundreds), each with
 * its figures (zeros for one with no base yet); the chosen district alone when one is chosen.
 */
async function districtsShown<Row extends { id: number; name: string }>(db: Database, filters: DashboardFilters, rows: Row[], blank: (d: { id: number; name: string }) => Row, cursor: Cursor | null) {
	if ((filters.districtId ?? null) !== null) return { rows, pages: { next: null, previous: null } };
	const page = await districtPage(db, { activeOnly: true, cursor });
	const byId = new Map(rows.map((row) => [row.id, row]));
	return { rows: page.items.map((d) => byId.get(d.id) ?? blank(d)), pages: { next: page.next, previous: page.previous } };
}

/** Every figure for every district under the filters, for officers: what the CSV downloads. */
export async function dashboardFigures(db: Database, actor: Actor | null, raw: unknown) {
	assertCan(actor, { action: 'capital.dashboard.view' });
	const filters = dashboardFiltersSchema.safeParse(raw);
	return sufficiencyFigures(db, filters.success ? filters.data : {});
}

/**
 * The dashboard for officers: the figures, with one page of districts by name (`districts`, the
 * cursor) and the districts furthest behind (the first GAPS_SHOWN; `gapsCounted` says of how many).
 */
export async function dashboardData(db: Database, actor: Actor | null, raw: unknown, districts: Cursor | null = null) {
	const figures = await dashboardFigures(db, actor, raw);
	const { placesByDistrict, gaps, ...rest } = figures;
	const shown = await districtsShown(db, figures.filters, placesByDistrict, (d) => ({ id: d.id, name: d.name, ...zero }), districts);
	return { ...rest, placesByDistrict: shown.rows, districtPages: shown.pages, gaps: gaps.slice(0, GAPS_SHOWN), gapsCounted: gaps.length };
}

/**
 * The published summary for the Local Offer, open to everyone: places coming by district and line,
 * money by line, and how parents were involved. Counts and sums only: no setting, no person.
 */
export async function publicSummary(db: Database, districts: Cursor | null = null) {
	const [figures, notes] = await Promise.all([
		sufficiencyFigures(db, {}),
		db.selectFrom('capital_public_note as n').innerJoin('capital_line as l', 'l.id', 'n.line_id').select(['l.id', 'l.name', 'n.parents_involved', 'n.updated_at']).orderBy('l.name').execute()
	]);
	const byDistrict = figures.placesByDistrict.map(({ id, name, approved, in_delivery, open }) => ({ id, name, approved, in_delivery, open }));
	const shown = await districtsShown(db, {}, byDistrict, (d) => ({ id: d.id, name: d.name, approved: 0, in_delivery: 0, open: 0 }), districts);
	return {
		placesByDistrict: shown.rows,
		districtPages: shown.pages,
		placesByLine: figures.placesByLine.map(({ id, name, placeDefinition, approved, in_delivery, open }) => ({ id, name, placeDefinition, approved, in_delivery, open })),
		moneyByLine: figures.moneyByLine,
		notes
	};
}

/** What the public notes say now, for the officers' form. */
export async function publicNotesForEdit(db: Database, actor: Actor) {
	assertCan(actor, { action: 'capital.dashboard.edit_public' });
	const rows = await db
		.selectFrom('capital_line as l')
		.leftJoin('capital_public_note as n', 'n.line_id', 'l.id')
		.select(['l.id', 'l.name', 'n.parents_involved', 'n.version'])
		.orderBy('l.name')
		.execute();
	return rows;
}
