import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { notFound } from '../../errors';
import { keysetPage, type Cursor, type KeyKind } from '../../paging';
import { auditEntries, auditEntryOf } from '../../audit';
import type { HistoryItem } from '../queries';
import { APPLICATION_STAGES, PIPELINE_PHASE } from '$lib/capital/flow';

// What the money pages read. Each asks the policy first; sums are grouped in the database.

export const TRANSFERS_PAGE_SIZE = 20;
export const MONEY_ACTIONS = ['capital.funding_committed', 'capital.funding_planned', 'capital.spend_recorded', 'capital.occupancy_recorded'] as const;
const HISTORY_LIMIT = 200;
/** The stages money can be committed or spent in, or places counted: approved, in delivery, open. */
const FUNDED_STAGES = APPLICATION_STAGES.filter((stage) => ['approved', 'in_delivery', 'open'].includes(PIPELINE_PHASE[stage]));

/** A money history, newest first: the decisions about these subjects, with who and why. */
async function moneyHistory(db: Database, subjects: { type: string; ids: number[] }[], actions?: readonly string[]): Promise<HistoryItem[]> {
	let query = auditEntries(db, { subjects }).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(HISTORY_LIMIT);
	if (actions) query = query.where('a.action', 'in', [...actions]);
	return (await query.execute()).map(auditEntryOf).map((e) => ({
		id: e.id,
		action: e.action,
		at: e.at,
		who: e.actorName,
		summary: typeof e.detail.summary === 'string' ? e.detail.summary : null,
		reason: e.reason
	}));
}

/** The funding page of one application: where its money comes from, what is spent, places occupied, and the decisions. */
export async function applicationFunding(db: Database, actor: Actor, id: number) {
	assertCan(actor, { action: 'capital.money.view' });
	const application = await db
		.selectFrom('capital_application as a')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.innerJoin('cluster as d', 'd.id', 'a.district_id')
		.innerJoin('setting as s', 's.id', 'a.setting_id')
		.select(['a.id', 'a.reference', 'a.title', 'a.stage', 'a.line_id', 'a.places', 'a.requested_pence', 'a.created_by', 'l.name as line_name', 'l.allocation_pence', 'd.name as district_name', 's.name as setting_name'])
		.where('a.id', '=', id)
		.executeTakeFirst();
	if (!application) throw notFound('That application');
	const [commitments, sources, sourceYears, spend, occupancy, lineCommitted, history] = await Promise.all([
		db
			.selectFrom('capital_commitment as c')
			.innerJoin('capital_source as s', 's.id', 'c.source_id')
			.innerJoin('app_user as u', 'u.id', 'c.created_by')
			.select(['c.id', 'c.kind', 'c.year', 'c.amount_pence', 'c.reason', 'c.created_at', 's.name as source_name', 'u.name as who'])
			.where('c.application_id', '=', id)
			.orderBy('c.id', 'desc')
			.limit(HISTORY_LIMIT)
			.execute(),
		// The sources that may fund the application's line: the only ones the form offers.
		db
			.selectFrom('capital_source as s')
			.innerJoin('capital_source_line as sl', 'sl.source_id', 's.id')
			.select(['s.id', 's.name', 's.status', 's.profile'])
			.where('sl.line_id', '=', application.line_id)
			.orderBy('s.name')
			.execute(),
		db
			.selectFrom('capital_commitment as c')
			.innerJoin('capital_source_line as sl', (join) => join.onRef('sl.source_id', '=', 'c.source_id').on('sl.line_id', '=', application.line_id))
			.select(['c.source_id', 'c.year', sql<string>`sum(c.amount_pence)`.as('committed')])
			.where('c.kind', '=', 'committed')
			.groupBy(['c.source_id', 'c.year'])
			.execute(),
		db.selectFrom('capital_spend').select(['id', 'amount_pence', 'spent_on', 'note']).where('application_id', '=', id).orderBy('spent_on', 'desc').orderBy('id', 'desc').limit(HISTORY_LIMIT).execute(),
		db.selectFrom('capital_occupancy').select(['year', 'term', 'occupied']).where('application_id', '=', id).orderBy('year', 'desc').orderBy('term').limit(HISTORY_LIMIT).execute(),
		db
			.selectFrom('capital_commitment')
			.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
			.where('line_id', '=', application.line_id)
			.where('kind', '=', 'committed')
			.executeTakeFirstOrThrow(),
		moneyHistory(db, [{ type: 'capital_application', ids: [id] }], MONEY_ACTIONS)
	]);
	const committedByYear = new Map(sourceYears.map((row) => [`${row.source_id}:${row.year}`, Number(row.committed)]));
	const sum = (rows: { amount_pence: number }[]) => rows.reduce((total, row) => total + row.amount_pence, 0);
	return {
		application,
		commitments,
		sources: sources.map((s) => ({
			...s,
			years: Object.entries(s.profile)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([year, profiled]) => ({ year: Number(year), profiled, committed: committedByYear.get(`${s.id}:${year}`) ?? 0 }))
		})),
		spend,
		occupancy,
		totals: {
			committed: sum(commitments.filter((c) => c.kind === 'committed')),
			planned: sum(commitments.filter((c) => c.kind === 'planned')),
			spent: sum(spend),
			lineCommitted: Number(lineCommitted.total)
		},
		history
	};
}

/** The programme's money: each source by year, each line, and the moves waiting for a second officer. */
/** Confirmed sources that may fund a line: the only ones money can be committed from to its applications. */
export function confirmedSourcesFor(db: Database, lineId: number) {
	return db
		.selectFrom('capital_source as s')
		.innerJoin('capital_source_line as sl', 'sl.source_id', 's.id')
		.select(['s.id', 's.name', 's.profile'])
		.where('sl.line_id', '=', lineId)
		.where('s.status', '=', 'confirmed')
		.orderBy('s.name')
		.execute();
}

export const MONEY_LIST_KEY: KeyKind[] = ['int'];

export async function moneyOverview(db: Database, actor: Actor, transfersCursor: Cursor | null) {
	assertCan(actor, { action: 'capital.money.view' });
	const transfersQuery = db
		.selectFrom('capital_allocation_transfer as t')
		.innerJoin('capital_line as f', 'f.id', 't.from_line_id')
		.innerJoin('capital_line as l', 'l.id', 't.to_line_id')
		.innerJoin('app_user as p', 'p.id', 't.proposed_by')
		.leftJoin('app_user as d', 'd.id', 't.decided_by')
		.select([
			't.id',
			't.status',
			't.amount_pence',
			't.reason',
			't.version',
			't.proposed_by',
			't.proposed_at',
			't.decided_at',
			't.decision_reason',
			'f.name as from_name',
			'l.name as to_name',
			'p.name as proposer',
			'd.name as decider'
		]);
	const [sources, bySourceYear, lines, byLine, spentByLine, transferPage] = await Promise.all([
		db.selectFrom('capital_source').select(['id', 'name', 'status', 'amount_pence', 'profile']).orderBy('name').execute(),
		db
			.selectFrom('capital_commitment')
			.select(['source_id', 'year', 'kind', sql<string>`sum(amount_pence)`.as('total')])
			.groupBy(['source_id', 'year', 'kind'])
			.execute(),
		db.selectFrom('capital_line').select(['id', 'name', 'allocation_pence', 'version']).orderBy('name').execute(),
		db.selectFrom('capital_commitment').select(['line_id', 'kind', sql<string>`sum(amount_pence)`.as('total')]).groupBy(['line_id', 'kind']).execute(),
		db.selectFrom('capital_spend').select(['line_id', sql<string>`sum(amount_pence)`.as('total')]).groupBy('line_id').execute(),
		keysetPage(transfersQuery, { order: [sql`t.id`], direction: 'desc', keyOf: (row) => [row.id], cursor: transfersCursor, size: TRANSFERS_PAGE_SIZE })
	]);
	const sumOf = <R extends { total: string }>(rows: R[], match: (row: R) => boolean) => rows.filter(match).reduce((t, row) => t + Number(row.total), 0);
	const transfers = transferPage.items;
	return {
		sources: sources.map((s) => {
			const years = new Set([...Object.keys(s.profile), ...bySourceYear.filter((r) => r.source_id === s.id).map((r) => String(r.year))]);
			return {
				...s,
				years: [...years].sort().map((year) => ({
					year: Number(year),
					profiled: s.profile[year] ?? 0,
					committed: sumOf(bySourceYear, (r) => r.source_id === s.id && String(r.year) === year && r.kind === 'committed'),
					planned: sumOf(bySourceYear, (r) => r.source_id === s.id && String(r.year) === year && r.kind === 'planned')
				}))
			};
		}),
		lines: lines.map((l) => ({
			...l,
			committed: sumOf(byLine, (r) => r.line_id === l.id && r.kind === 'committed'),
			planned: sumOf(byLine, (r) => r.line_id === l.id && r.kind === 'planned'),
			spent: sumOf(spentByLine, (r) => r.line_id === l.id)
		})),
		transfers,
		transfersPage: { previous: transferPage.previous, next: transferPage.next },
		history: await moneyHistory(db, [{ type: 'capital_allocation_transfer', ids: transfers.map((t) => t.id) }])
	};
}

export const APPLICATIONS_PAGE_SIZE = 20;

/** Approved applications (approved, in delivery or open), newest first, a page at a time, with what each asked for and has committed. */
export async function approvedApplicationsPage(db: Database, actor: Actor, cursor: Cursor | null) {
	assertCan(actor, { action: 'capital.money.view' });
	const query = db
		.selectFrom('capital_application as a')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.innerJoin('cluster as d', 'd.id', 'a.district_id')
		.select((eb) => [
			'a.id',
			'a.reference',
			'a.title',
			'a.stage',
			'a.requested_pence',
			'l.name as line_name',
			'd.name as district_name',
			eb
				.selectFrom('capital_commitment as c')
				.select(sql<string>`coalesce(sum(c.amount_pence), 0)`.as('n'))
				.whereRef('c.application_id', '=', 'a.id')
				.where('c.kind', '=', 'committed')
				.as('committed')
		])
		.where('a.stage', 'in', FUNDED_STAGES);
	const page = await keysetPage(query, { order: [sql`a.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: APPLICATIONS_PAGE_SIZE });
	const applications = page.items.map((row) => ({ ...row, committed: Number(row.committed ?? 0) }));
	return { applications, previous: page.previous, next: page.next };
}
