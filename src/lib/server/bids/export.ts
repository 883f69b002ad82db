// A funding round's bids as rows for a spreadsheet (Schools Forum papers): one row per bid with
// its money, pledges, targets and decision. Officers only, by the policy's `round.export`.
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { loadRoundRef, requireAllowed } from './access';
import { stringify } from 'csv-stringify/sync';
import { BID_STATUSES, NEED_AREAS, type BidStatus } from '$lib/bids/model';
import { PHASE_LABELS } from '$lib/roles';

export interface RoundExportRow {
	id: number;
	title: string;
	leadSetting: string;
	partnerSettings: string[];
	status: string;
	totalCostPence: number;
	pledgedPence: number;
	staffHours: number;
	requestedPence: number;
	approvedPence: number | null;
	pledges: { setting: string; moneyPence: number; staffHours: number; confirmed: boolean }[];
	measures: string[];
	needs: string[];
	phases: string[];
	cohortSize: number | null;
	submittedAt: Date | null;
	decisionReason: string | null;
}

export async function roundExportRows(db: Database, actor: Actor, roundId: number): Promise<{ roundName: string; rows: RoundExportRow[] }> {
	const ref = await loadRoundRef(db, roundId);
	requireAllowed(actor, { action: 'round.export', round: ref });
	const round = await db.selectFrom('funding_round').select('name').where('id', '=', roundId).executeTakeFirstOrThrow();
	const bids = await db
		.selectFrom('bid as b')
		.innerJoin('setting as s', 's.id', 'b.lead_setting_id')
		.select([
			'b.id',
			'b.title',
			's.name as lead_setting',
			'b.status',
			'b.requested_pence',
			'b.approved_pence',
			'b.needs',
			'b.phases',
			'b.cohort_size',
			'b.decision_reason',
			(eb) =>
				eb
					.selectFrom('bid_budget_line as l')
					.select((sub) => sub.fn.coalesce(sub.fn.sum<number>('l.cost_pence'), sub.lit(0)).as('n'))
					.whereRef('l.bid_id', '=', 'b.id')
					.as('total_cost_pence'),
			(eb) =>
				eb
					.selectFrom('bid_submission as sub')
					.select((sub) => sub.fn.max('sub.submitted_at').as('at'))
					.whereRef('sub.bid_id', '=', 'b.id')
					.as('submitted_at')
		])
		.where('b.round_id', '=', roundId)
		.orderBy('b.id')
		.execute();
	const ids = bids.map((b) => b.id);
	if (ids.length === 0) return { roundName: round.name, rows: [] };
	const [partners, pledges, measures] = await Promise.all([
		db
			.selectFrom('bid_partner as p')
			.innerJoin('setting as s', 's.id', 'p.setting_id')
			.select(['p.bid_id', 's.name'])
			.where('p.bid_id', 'in', ids)
			.orderBy('s.name')
			.execute(),
		db
			.selectFrom('bid_pledge as p')
			.innerJoin('setting as s', 's.id', 'p.setting_id')
			.select(['p.bid_id', 's.name', 'p.money_pence', 'p.staff_hours', 'p.confirmed_at'])
			.where('p.bid_id', 'in', ids)
			.orderBy('s.name')
			.execute(),
		db.selectFrom('bid_measure').select(['bid_id', 'measure']).where('bid_id', 'in', ids).orderBy('measure').execute()
	]);
	const rows = bids.map((b): RoundExportRow => {
		const bidPledges = pledges.filter((p) => p.bid_id === b.id);
		return {
			id: b.id,
			title: b.title,
			leadSetting: b.lead_setting,
			partnerSettings: partners.filter((p) => p.bid_id === b.id).map((p) => p.name),
			status: b.status,
			totalCostPence: Number(b.total_cost_pence ?? 0),
			pledgedPence: bidPledges.reduce((sum, p) => sum + p.money_pence, 0),
			staffHours: bidPledges.reduce((sum, p) => sum + p.staff_hours, 0),
			requestedPence: b.requested_pence,
			approvedPence: b.approved_pence,
			pledges: bidPledges.map((p) => ({ setting: p.name, moneyPence: p.money_pence, staffHours: p.staff_hours, confirmed: p.confirmed_at !== null })),
			measures: measures.filter((m) => m.bid_id === b.id).map((m) => m.measure),
			needs: b.needs.map((n) => NEED_AREAS[n as keyof typeof NEED_AREAS] ?? n),
			phases: b.phases.map((p) => PHASE_LABELS[p] ?? p),
			cohortSize: b.cohort_size,
			submittedAt: b.submitted_at ? new Date(b.submitted_at) : null,
			decisionReason: b.decision_reason
		};
	});
	return { roundName: round.name, rows };
}

// ---------- As a CSV file ----------

const HEADER = [
	'Bid id',
	'Title',
	'Lead setting',
	'Partner settings',
	'Status',
	'Total cost (£)',
	'Pledged money (£)',
	'Staff hours pledged',
	'Requested (£)',
	'Approved (£)',
	'Pledges',
	'Inclusion measures targeted',
	'Areas of need',
	'Phases',
	'Cohort size',
	'Submitted at (UK time)',
	'Decision reason'
];

/** Pounds with pence, from whole pence, without floating point. */
const pounds = (pence: number) => `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
/** "2027-01-31 14:05", UK time: sorts in a spreadsheet and reads plainly. */
const ukTime = (at: Date) =>
	new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' }).format(at);
/** A cell a spreadsheet would run as a formula is kept as text (CSV injection). */
const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function cells(row: RoundExportRow): (string | number)[] {
	return [
		row.id,
		safe(row.title),
		safe(row.leadSetting),
		safe(row.partnerSettings.join('; ')),
		BID_STATUSES[row.status as BidStatus] ?? row.status,
		pounds(row.totalCostPence),
		pounds(row.pledgedPence),
		row.staffHours,
		pounds(row.requestedPence),
		row.approvedPence === null ? '' : pounds(row.approvedPence),
		safe(
			row.pledges
				.map((p) => `${p.setting}: £${pounds(p.moneyPence)} + ${p.staffHours} hours (${p.confirmed ? 'confirmed' : 'not confirmed'})`)
				.join('; ')
		),
		row.measures.join('; '),
		row.needs.join('; '),
		row.phases.join('; '),
		row.cohortSize ?? '',
		row.submittedAt ? ukTime(row.submittedAt) : '',
		safe(row.decisionReason ?? '')
	];
}

/** The CSV, with a byte-order mark so Excel reads £ and accented names as UTF-8. */
export function roundExportCsv(rows: RoundExportRow[]): string {
	return '\uFEFF' + stringify([HEADER, ...rows.map(cells)], { record_delimiter: 'windows' });
}

/** A file name safe in a header and on any disk: the round's id and its name in plain letters. */
export function exportFilename(roundId: number, roundName: string): string {
	const slug = roundName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'round';
	return `round-${roundId}-${slug}-bids.csv`;
}
