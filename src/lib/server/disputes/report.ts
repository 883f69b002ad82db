import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { forbidden } from '../errors';
import { isCountyStaff } from '../decision';
import { idSchema } from '$lib/schemas/common';
import { CATEGORIES, CATEGORY_LABELS, OTHER_PARTIES, OTHER_PARTY_LABELS, ROUTES, ROUTE_LABELS, type Period } from '$lib/disputes/model';
import { OUTCOME_RESULTS, OUTCOME_RESULT_LABELS } from '$lib/disputes/outcome';
import {
	DEFAULT_SUPPRESSION_THRESHOLD,
	QUARTER_LABELS,
	countText,
	financialYearBounds,
	financialYearOf,
	financialYearWords,
	quarterTable,
	suppress,
	type MonthCount,
	type SuppressedTable
} from '$lib/disputes/report';
import { bankHolidays, londonDate } from './calendar';
import { districtRef, districtSettings } from './cases';
import type { DistrictRef } from './policy';

// Governance figures for a district's panels, by financial quarter: anonymised counts only (never
// a reference, initials or free text), each figure one grouped query (by row and month; the months
// are bucketed into quarters in `quarterTable`), small numbers suppressed before the page or the
// CSV sees them. Times are counted in the unit of the district's own targets, with the disputes
// calendar's rules: weekends and England and Wales bank holidays off, school days inside the
// terms its officers keep.

/** Counts from 1 to this minus one are hidden; set DISPUTES_SUPPRESSION_THRESHOLD (2 to 100) to change it. */
export function suppressionThreshold(env: Record<string, string | undefined> = process.env): number {
	const value = Number(env.DISPUTES_SUPPRESSION_THRESHOLD);
	return Number.isInteger(value) && value >= 2 && value <= 100 ? value : DEFAULT_SUPPRESSION_THRESHOLD;
}

const blankAsMissing = (value: unknown) => (value === '' || value === null ? undefined : value);
const DISTRICT_WORDS = 'Choose a district from the list';
const YEAR_WORDS = 'Choose a year from the list';
export const reportFilterSchema = z.object({
	district: z.preprocess(blankAsMissing, z.string().regex(/^[1-9][0-9]{0,9}$/, DISTRICT_WORDS).transform(Number).pipe(idSchema(DISTRICT_WORDS)).optional()),
	year: z.preprocess(blankAsMissing, z.string().regex(/^20[0-9]{2}$/, YEAR_WORDS).transform(Number).optional())
});

/** The filters from a page's query string (district and financial year), checked. */
export const reportFiltersFrom = (params: URLSearchParams) => parseInput(reportFilterSchema, { district: params.get('district'), year: params.get('year') });

/**
 * The districts the report's filter offers this person: a SENDIASS officer's own (the districts of
 * their roles, a handful), each asked of the policy. Council officers may read every district's
 * figures and England has hundreds, so for them `search` is true and the page offers a search for
 * the district instead of a list (the policy is asked again for the one chosen).
 */
export async function reportDistricts(db: Database, actor: Actor): Promise<{ districts: DistrictRef[]; search: boolean }> {
	const own = [...new Set(actor.clusterRoles.filter((r) => r.role === 'sendiass_officer' && r.clusterKind === 'district').map((r) => r.clusterId))];
	const districts = own.length === 0 ? [] : await db.selectFrom('cluster').select(['id', 'name']).where('id', 'in', own).where('kind', '=', 'district').where('status', '=', 'active').orderBy('name').execute();
	return { districts: districts.filter((district) => can(actor, { action: 'disputes.reports.view', district }).allowed), search: isCountyStaff(actor) };
}

/** With no district asked for, the first this person may see: their own, or for council officers the first by name. */
async function firstReportDistrict(db: Database, actor: Actor): Promise<DistrictRef | undefined> {
	const { districts, search } = await reportDistricts(db, actor);
	if (districts[0] || !search) return districts[0];
	return db.selectFrom('cluster').select(['id', 'name']).where('kind', '=', 'district').where('status', '=', 'active').orderBy(sql`lower(name)`).orderBy('id').limit(1).executeTakeFirst();
}

export interface ReportFigure {
	id: string;
	title: string;
	/** What the rows are, for the table's first column heading. */
	rowHeading: string;
	rows: string[];
	table: SuppressedTable;
}

export interface DisputesReport {
	district: DistrictRef;
	year: number;
	yearWords: string;
	/** Financial years offered in the filter, newest first. */
	years: number[];
	threshold: number;
	figures: ReportFigure[];
}

const unitWords = { calendar: 'days', working: 'working days', school: 'school days', months: 'months' } as const;
export const targetWords = (period: Period) => `${period.count} ${period.count === 1 ? unitWords[period.unit].replace(/s$/, '') : unitWords[period.unit]}`;

const LONDON_INTAKE = sql<string>`(c.intake_at at time zone 'Europe/London')::date`;
const monthOf = (date: RawBuilder<unknown>) => sql<string>`to_char(${date}, 'YYYY-MM')`;

/**
 * Whether the days from `from` to `to` (those after `from`, up to and including `to`, as the
 * disputes calendar counts them) are within the target: a SQL expression for one case row `c`.
 */
function withinTarget(from: RawBuilder<string>, to: RawBuilder<string>, period: Period, holidays: string[]): RawBuilder<boolean> {
	if (period.unit === 'months') return sql<boolean>`(${to} <= (${from} + make_interval(months => ${period.count}))::date)`;
	if (period.unit === 'calendar') return sql<boolean>`((${to} - ${from}) <= ${period.count})`;
	const inTerm =
		period.unit === 'school'
			? sql`and exists (select 1 from dispute_term t where t.district_id = c.district_id and g.d::date between t.starts_on and t.ends_on)`
			: sql``;
	return sql<boolean>`((select count(*) from generate_series((${from} + 1)::timestamp, (${to})::timestamp, interval '1 day') as g(d)
		where extract(isodow from g.d) < 6 and not (g.d::date = any(${holidays}::date[])) ${inTerm}) <= ${period.count})`;
}

type Row<K extends string> = MonthCount<K>;

/** One figure: grouped in SQL by a row key and a month, for one district and financial year. */
async function grouped<K extends string>(db: Database, key: RawBuilder<unknown>, date: RawBuilder<unknown>, from: RawBuilder<unknown>, where: RawBuilder<unknown>, bounds: { from: string; to: string }, districtId: number): Promise<Row<K>[]> {
	const { rows } = await sql<Row<K>>`select ${key} as key, ${monthOf(date)} as month, count(*)::int as count
		from ${from}
		where c.district_id = ${districtId} and ${date} between ${bounds.from}::date and ${bounds.to}::date and ${where}
		group by 1, 2`.execute(db);
	return rows;
}

const NOBODY_ELSE = 'The dispute panels’ governance figures are for the district’s SENDIASS officers and council officers only.';

/** A district's figures for a financial year, suppressed. Refused (403) unless the policy allows. */
export async function disputesReport(db: Database, actor: Actor | null, filters: { district?: number; year?: number }, now = new Date(), threshold = suppressionThreshold()): Promise<DisputesReport> {
	if (!actor) throw forbidden(NOBODY_ELSE);
	// No district asked for: the first this person may see (refused when there is none).
	const district = filters.district !== undefined ? await districtRef(db, filters.district) : await firstReportDistrict(db, actor);
	if (!district) throw forbidden(NOBODY_ELSE);
	assertCan(actor, { action: 'disputes.reports.view', district });

	const thisYear = financialYearOf(londonDate(now));
	const year = filters.year ?? thisYear;
	const bounds = financialYearBounds(year);
	const { periods } = await districtSettings(db, district.id);
	const holidays = [year - 1, year, year + 1, year + 2].flatMap(bankHolidays);
	const cases = sql`dispute_case c`;
	const withOutcome = sql`dispute_case c join dispute_outcome o on o.case_id = c.id`;
	const always = sql`true`;
	const metOn = sql<string>`o.met_on`;
	const writtenOn = sql<string>`(o.recorded_at at time zone 'Europe/London')::date`;
	const bandOf = sql<string>`f.party || ':' || case when f.rating >= 4 then 'helpful' when f.rating = 3 then 'neutral' else 'unhelpful' end`;

	const [referrals, categories, toMeeting, toOutcome, outcomes, escalations, feedback] = await Promise.all([
		grouped<string>(db, sql`c.route`, LONDON_INTAKE, cases, always, bounds, district.id),
		grouped<string>(db, sql`c.category`, LONDON_INTAKE, cases, always, bounds, district.id),
		grouped<string>(db, sql`case when ${withinTarget(LONDON_INTAKE, metOn, periods.referralToMeeting, holidays)} then 'within' else 'over' end`, metOn, withOutcome, always, bounds, district.id),
		grouped<string>(db, sql`case when ${withinTarget(metOn, writtenOn, periods.meetingToOutcome, holidays)} then 'within' else 'over' end`, writtenOn, withOutcome, always, bounds, district.id),
		grouped<string>(db, sql`o.result`, metOn, withOutcome, always, bounds, district.id),
		grouped<string>(db, sql`c.other_party`, metOn, withOutcome, sql`jsonb_array_length(o.escalation) > 0`, bounds, district.id),
		grouped<string>(db, bandOf, sql<string>`(f.recorded_at at time zone 'Europe/London')::date`, sql`dispute_case c join dispute_feedback f on f.case_id = c.id`, always, bounds, district.id)
	]);

	const figure = (id: string, title: string, rowHeading: string, keys: readonly string[], labels: string[], counts: Row<string>[]): ReportFigure => ({
		id,
		title,
		rowHeading,
		rows: labels,
		table: suppress(quarterTable(keys, counts, year), threshold)
	});
	const TIMES = ['within', 'over'];
	const BANDS = ['family:helpful', 'family:neutral', 'family:unhelpful', 'setting:helpful', 'setting:neutral', 'setting:unhelpful'];
	const bandLabels = ['Family: helpful (4 or 5)', 'Family: neither (3)', 'Family: not helpful (1 or 2)', 'Setting: helpful (4 or 5)', 'Setting: neither (3)', 'Setting: not helpful (1 or 2)'];
	const meetingTarget = targetWords(periods.referralToMeeting);
	const outcomeTarget = targetWords(periods.meetingToOutcome);

	return {
		district,
		year,
		yearWords: financialYearWords(year),
		years: [...new Set([thisYear, thisYear - 1, thisYear - 2, thisYear - 3, year])].sort((a, b) => b - a),
		threshold,
		figures: [
			figure('referrals', 'Referrals by route: heard by a panel or routed out', 'Route', ROUTES, ROUTES.map((r) => (r === 'panel' ? 'Heard by a panel' : `Routed out: ${ROUTE_LABELS[r]}`)), referrals),
			figure('categories', 'Referrals by category', 'Category', CATEGORIES, CATEGORIES.map((c) => CATEGORY_LABELS[c]), categories),
			figure('to-meeting', `Referral to meeting against the target of ${meetingTarget}`, 'Time', TIMES, [`Within ${meetingTarget}`, `Over ${meetingTarget}`], toMeeting),
			figure('to-outcome', `Meeting to written outcome against the target of ${outcomeTarget}`, 'Time', TIMES, [`Within ${outcomeTarget}`, `Over ${outcomeTarget}`], toOutcome),
			figure('outcomes', 'Outcomes of panel meetings', 'Outcome', OUTCOME_RESULTS, OUTCOME_RESULTS.map((r) => OUTCOME_RESULT_LABELS[r]), outcomes),
			figure('escalations', 'Cases not fully resolved and given an escalation route, by who the disagreement is with', 'Disagreement with', OTHER_PARTIES, OTHER_PARTIES.map((p) => OTHER_PARTY_LABELS[p]), escalations),
			figure('feedback', 'Feedback afterwards, by who gave it and how helpful they found the panel', 'Feedback', BANDS, bandLabels, feedback)
		]
	};
}

// A cell that starts like a formula is quoted with a leading apostrophe, as the other exports do,
// so opening the file never runs anything (district names are typed by people).
const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** The report as one CSV: a line a figure, row and quarter (and the totals), hidden counts as [c]. */
export function reportCsv(report: DisputesReport): string {
	const lines: string[][] = [['district', 'financial year', 'figure', 'row', 'quarter', 'count']];
	const district = safe(report.district.name);
	for (const figure of report.figures) {
		figure.rows.forEach((label, i) => {
			figure.table.cells[i].forEach((value, q) => lines.push([district, report.yearWords, figure.title, safe(label), QUARTER_LABELS[q], countText(value)]));
			lines.push([district, report.yearWords, figure.title, safe(label), 'Year', countText(figure.table.rowTotals[i])]);
		});
		figure.table.columnTotals.forEach((value, q) => lines.push([district, report.yearWords, figure.title, 'Total', QUARTER_LABELS[q], countText(value)]));
		lines.push([district, report.yearWords, figure.title, 'Total', 'Year', countText(figure.table.total)]);
	}
	lines.push([`[c]: hidden, because it is fewer than ${report.threshold} or would let one that is be worked out from the totals.`, '', '', '', '', '']);
	return stringify(lines);
}
