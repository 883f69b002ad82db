// A funding round's bids as rows for a spreadsheet (Schools Forum papers): one row per bid with
// its money, decision, endorsements and each setting's pledge. Officers only, by the policy's
// `round.export`. By default only bids that have been submitted (what the round page counts);
// drafts, with their working figures, only when asked for.
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { loadRoundRef } from './access';
import { partnerSettings, settingPledges } from './parts';
import { assertCan } from '../policy';
import { stringify } from 'csv-stringify/sync';
import { bidStatusLabel, NEED_AREAS } from '$lib/bids/model';
import { PHASE_LABELS } from '$lib/roles';
import { ownValue } from '$lib/records';

export interface ExportPledge {
	setting: string;
	moneyPence: number;
	staffHours: number;
	confirmed: boolean;
}

export interface RoundExportRow {
	id: number;
	title: string;
	leadSetting: string;
	partnerSettings: string[];
	status: string;
	/** Above 0 once submitted: a draft with a submission was returned for changes. */
	submissionNo: number;
	totalCostPence: number;
	pledgedPence: number;
	staffHours: number;
	requestedPence: number;
	approvedPence: number | null;
	conditions: string | null;
	/** The lead setting's pledge first, then the partners' by name. */
	pledges: ExportPledge[];
	measures: string[];
	needs: string[];
	phases: string[];
	cohortSize: number | null;
	submittedAt: Date | null;
	decision: 'approved' | 'declined' | null;
	decidedAt: Date | null;
	decidedBy: string | null;
	decisionReason: string | null;
	endorsedBy: string[];
	objectedBy: string[];
}

export interface RoundExportOptions {
	/** Drafts carry working figures, so they are left out unless someone asks for them. */
	includeDrafts: boolean;
}

export interface RoundExport {
	round: { id: number; name: string; locality: string; district: string };
	/** How many settings the bid with most partners has: the per-setting columns repeat that often. */
	settingColumns: number;
	/** The rows, a page at a time, so a large round is never held in memory at once. */
	batches(): AsyncGenerator<RoundExportRow[]>;
}

const BATCH = 200;

/** The round's bids the export holds: submitted ones, or drafts too when asked for. */
function exportedBids(db: Database, roundId: number, options: RoundExportOptions) {
	let query = db.selectFrom('bid as b').where('b.round_id', '=', roundId);
	if (!options.includeDrafts) {
		// Submitted at least once and not back in draft (a returned bid is a draft again).
		query = query
			.where('b.status', '!=', 'draft')
			.where(({ exists, selectFrom }) => exists(selectFrom('bid_submission as s').select('s.id').whereRef('s.bid_id', '=', 'b.id')));
	}
	return query;
}

/**
 * How many partners the bid with most has, by one grouped join of the round's bids and their
 * partners (`bid_partner_pk` leads with the bid), not a count run again for every bid.
 * Exported for its query-plan test.
 */
export function widestBidQuery(db: Database, roundId: number, options: RoundExportOptions) {
	return exportedBids(db, roundId, options)
		.leftJoin('bid_partner as p', 'p.bid_id', 'b.id')
		.select((eb) => eb.fn.count<string>('p.setting_id').as('partners'))
		.groupBy('b.id')
		.orderBy('partners', 'desc')
		.limit(1);
}

/** Checks the policy and reads the round, before anything is sent, so a refusal is a proper page. */
export async function openRoundExport(db: Database, actor: Actor, roundId: number, options: RoundExportOptions): Promise<RoundExport> {
	const ref = await loadRoundRef(db, roundId);
	assertCan(actor, { action: 'round.export', round: ref });
	const round = await db
		.selectFrom('funding_round as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.leftJoin('cluster as d', 'd.id', 'c.parent_id')
		.select(['r.id', 'r.name', 'c.kind', 'c.name as cluster_name', 'd.name as district_name'])
		.where('r.id', '=', roundId)
		.executeTakeFirstOrThrow();

	const bidsInExport = () => exportedBids(db, roundId, options);
	const widest = await widestBidQuery(db, roundId, options).executeTakeFirst();

	async function* batches(): AsyncGenerator<RoundExportRow[]> {
		let after = 0;
		for (;;) {
			const bids = await bidsInExport()
				.innerJoin('setting as s', 's.id', 'b.lead_setting_id')
				.select([
					'b.id',
					'b.title',
					'b.lead_setting_id',
					's.name as lead_setting',
					// What the decision is about, then what the bid is for.
					...(['b.status', 'b.submission_no', 'b.requested_pence', 'b.approved_pence', 'b.conditions', 'b.decision_reason'] as const),
					...(['b.needs', 'b.phases', 'b.cohort_size'] as const),
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
				.where('b.id', '>', after)
				.orderBy('b.id')
				.limit(BATCH)
				.execute();
			if (bids.length === 0) return;
			after = bids[bids.length - 1].id;
			const ids = bids.map((b) => b.id);
			const [partners, pledges, measures, endorsements, decisions] = await Promise.all([
				partnerSettings(db, ids),
				settingPledges(db, ids),
				db.selectFrom('bid_measure').select(['bid_id', 'measure']).where('bid_id', 'in', ids).orderBy('measure').execute(),
				db
					.selectFrom('bid_endorsement as e')
					.innerJoin('setting as s', 's.id', 'e.setting_id')
					.select(['e.bid_id', 'e.submission_no', 'e.decision', 's.name'])
					.where('e.bid_id', 'in', ids)
					.orderBy('s.name')
					.execute(),
				// The latest approval or decline of each bid, with who made it and when.
				db
					.selectFrom('audit_log as a')
					.leftJoin('app_user as u', 'u.id', 'a.actor_id')
					.select(['a.subject_id', 'a.action', 'a.created_at', 'u.name'])
					.where('a.subject_type', '=', 'bid')
					.where('a.subject_id', 'in', ids)
					.where('a.action', 'in', ['bid.approved', 'bid.declined'])
					.orderBy('a.id', 'desc')
					.execute()
			]);
			yield bids.map((b): RoundExportRow => {
				const bidPledges = pledges
					.filter((p) => p.bid_id === b.id)
					.sort((x, y) => Number(y.setting_id === b.lead_setting_id) - Number(x.setting_id === b.lead_setting_id));
				// Endorsements of the version being considered; earlier submissions' views have lapsed.
				const views = endorsements.filter((e) => e.bid_id === b.id && e.submission_no === b.submission_no);
				const decision = decisions.find((d) => d.subject_id === b.id);
				return {
					id: b.id,
					title: b.title,
					leadSetting: b.lead_setting,
					partnerSettings: partners.filter((p) => p.bid_id === b.id).map((p) => p.name),
					status: b.status,
					submissionNo: b.submission_no,
					totalCostPence: Number(b.total_cost_pence ?? 0),
					pledgedPence: bidPledges.reduce((sum, p) => sum + p.money_pence, 0),
					staffHours: bidPledges.reduce((sum, p) => sum + p.staff_hours, 0),
					requestedPence: b.requested_pence,
					approvedPence: b.approved_pence,
					conditions: b.conditions,
					pledges: bidPledges.map((p) => ({ setting: p.name, moneyPence: p.money_pence, staffHours: p.staff_hours, confirmed: p.confirmed_at !== null })),
					measures: measures.filter((m) => m.bid_id === b.id).map((m) => m.measure),
					needs: b.needs.map((n) => ownValue(NEED_AREAS, n) ?? n),
					phases: b.phases.map((p) => (Object.hasOwn(PHASE_LABELS, p) ? PHASE_LABELS[p] : p)),
					cohortSize: b.cohort_size,
					submittedAt: b.submitted_at ? new Date(b.submitted_at) : null,
					decision: decision ? (decision.action === 'bid.approved' ? 'approved' : 'declined') : null,
					decidedAt: decision ? new Date(decision.created_at) : null,
					decidedBy: decision?.name ?? null,
					decisionReason: b.decision_reason,
					endorsedBy: views.filter((v) => v.decision === 'endorse').map((v) => v.name),
					objectedBy: views.filter((v) => v.decision !== 'endorse').map((v) => v.name)
				};
			});
			if (bids.length < BATCH) return;
		}
	}

	const local = round.kind === 'locality';
	return {
		round: {
			id: round.id,
			name: round.name,
			locality: local ? round.cluster_name : '',
			district: local ? (round.district_name ?? '') : round.cluster_name
		},
		settingColumns: 1 + Number(widest?.partners ?? 0),
		batches
	};
}

/** Every row at once (for tests and small callers); the download streams instead. */
export async function roundExportRows(
	db: Database,
	actor: Actor,
	roundId: number,
	options: RoundExportOptions = { includeDrafts: false }
): Promise<{ roundName: string; rows: RoundExportRow[] }> {
	const exported = await openRoundExport(db, actor, roundId, options);
	const rows: RoundExportRow[] = [];
	for await (const batch of exported.batches()) rows.push(...batch);
	return { roundName: exported.round.name, rows };
}

// ---------- As a CSV file ----------

function header(settingColumns: number): string[] {
	const perSetting: string[] = [];
	for (let n = 1; n <= settingColumns; n++) {
		const who = n === 1 ? 'Lead setting' : `Partner ${n - 1}`;
		perSetting.push(`${who} name`, `${who} pledged money (£)`, `${who} pledged staff hours`, `${who} pledge confirmed`);
	}
	return [
		'Round',
		'Locality',
		'District',
		'Bid id',
		'Title',
		'Lead setting',
		'Partner settings',
		'Status',
		'Submitted at (UK time)',
		'Total cost (£)',
		'Requested (£)',
		'Approved (£)',
		'Conditions',
		'Decision',
		'Decision date (UK time)',
		'Decided by',
		'Decision reason',
		'Endorsements for',
		'Endorsements against',
		'Endorsed by',
		'Objected by',
		'Pledged money, all settings (£)',
		'Pledged staff hours, all settings',
		'Inclusion measures targeted',
		'Areas of need',
		'Phases',
		'Cohort size',
		...perSetting
	];
}

/** Pounds with pence, from whole pence, without floating point. */
const pounds = (pence: number) => `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
/** "2027-01-31 14:05", UK time: sorts in a spreadsheet and reads plainly. */
const ukTime = (at: Date) =>
	new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' }).format(at);

/** Every way a cell's text can start a new line in a spreadsheet or text editor. */
// eslint-disable-next-line no-control-regex -- vertical tab and form feed are line breaks to some readers
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;
/** What a spreadsheet may run as a formula at the start of a cell or of a line in it (with full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * Text a spreadsheet will show, never run (CSV injection): a cell, or any line inside a cell,
 * that starts like a formula gets a leading apostrophe. Line breaks stay (an officer's reason
 * may have several paragraphs); the writer quotes every field, so they never split a row.
 */
export function formulaSafe(text: string): string {
	return text
		.split(new RegExp(`(${LINE_BREAK.source})`))
		.map((part, index) => (index % 2 === 0 && FORMULA_START.test(part) ? `'${part}` : part))
		.join('');
}

function cells(round: RoundExport['round'], settingColumns: number, row: RoundExportRow): string[] {
	const perSetting: string[] = [];
	for (let n = 0; n < settingColumns; n++) {
		const pledge = row.pledges[n];
		perSetting.push(
			pledge?.setting ?? '',
			pledge ? pounds(pledge.moneyPence) : '',
			pledge ? String(pledge.staffHours) : '',
			pledge ? (pledge.confirmed ? 'Yes' : 'No') : ''
		);
	}
	return [
		round.name,
		round.locality,
		round.district,
		String(row.id),
		row.title,
		row.leadSetting,
		row.partnerSettings.join('; '),
		bidStatusLabel(row.status, row.submissionNo),
		row.submittedAt ? ukTime(row.submittedAt) : '',
		pounds(row.totalCostPence),
		pounds(row.requestedPence),
		row.approvedPence === null ? '' : pounds(row.approvedPence),
		row.conditions ?? '',
		row.decision === 'approved' ? 'Approved' : row.decision === 'declined' ? 'Declined' : '',
		row.decidedAt ? ukTime(row.decidedAt) : '',
		row.decidedBy ?? '',
		row.decisionReason ?? '',
		String(row.endorsedBy.length),
		String(row.objectedBy.length),
		row.endorsedBy.join('; '),
		row.objectedBy.join('; '),
		pounds(row.pledgedPence),
		String(row.staffHours),
		row.measures.join('; '),
		row.needs.join('; '),
		row.phases.join('; '),
		row.cohortSize === null ? '' : String(row.cohortSize),
		...perSetting
	];
}

/** Rows as CSV text: every field quoted (so no line break inside a cell can start a row) and formula-safe. */
function csvText(records: string[][]): string {
	return stringify(
		records.map((record) => record.map(formulaSafe)),
		{ record_delimiter: 'windows', quoted: true, quoted_empty: true }
	);
}

/**
 * The CSV a piece at a time, starting with a byte-order mark so Excel reads £ and accented names
 * as UTF-8.
 */
export async function* roundExportCsv(exported: RoundExport): AsyncGenerator<string> {
	yield '\uFEFF' + csvText([header(exported.settingColumns)]);
	for await (const batch of exported.batches()) {
		yield csvText(batch.map((row) => cells(exported.round, exported.settingColumns, row)));
	}
}

/** A file name safe in a header and on any disk: the round's id and its name in plain letters. */
export function exportFilename(roundId: number, roundName: string, includeDrafts = false): string {
	const slug = roundName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'round';
	return `round-${roundId}-${slug}-${includeDrafts ? 'bids-with-drafts' : 'bids'}.csv`;
}
