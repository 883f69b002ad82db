import { sql } from 'kysely';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { can, isCountyStaff, type BidRef, type Involvement, type PolicyCheck } from '../policy';
import { formatDate } from '$lib/format';
import type { TodoItem, TodoProvider } from './types';
import { loadInvolvements } from '../bids/access';

// Pooled-funding work waiting for someone, read from the bids' state: who has not endorsed the
// current submission, which pledges are unconfirmed, which drafts a round's closing date threatens,
// which bids wait for an officer, which funded bids have milestones due.

/** More than anyone could act on from a home page; counts beyond it are still exact for officers. */
const SCAN_LIMIT = 200;
/** Milestones due within this many days (or overdue) ask for a progress update. */
export const MILESTONE_DUE_DAYS = 14;

const bidLink = (bidId: number) => `/bids/${bidId}`;
const settingsWhere = (actor: Actor, role?: 'headteacher') =>
	[...new Set(actor.settingRoles.filter((r) => !role || r.role === role).map((r) => r.settingId))];

/** The bid as the policy sees it, built from a row that carries these columns. */
interface BidRow {
	bid_id: number;
	cluster_id: number;
	cluster_name: string;
	lead_setting_id: number;
	partner_ids: number[];
}
const bidRef = (row: BidRow): BidRef => ({
	id: row.bid_id,
	clusterId: row.cluster_id,
	clusterName: row.cluster_name,
	leadSettingId: row.lead_setting_id,
	partnerSettingIds: row.partner_ids
});

/** The columns every query here selects to build a BidRef (from `bid as b` joined to `cluster as c`). */
const BID_COLUMNS = ['b.id as bid_id', 'b.title', 'b.cluster_id', 'c.name as cluster_name', 'b.lead_setting_id'] as const;
/** Bids `b` with their cluster `c`, the start of every scan here. */
const bidsWithCluster = (db: Database) => db.selectFrom('bid as b').innerJoin('cluster as c', 'c.id', 'b.cluster_id');
const partnerIds = () => sql<number[]>`array(select p.setting_id from bid_partner p where p.bid_id = b.id order by p.setting_id)`.as('partner_ids');

/**
 * Whether bid `b` is written by one of these settings (its lead or a partner): one set of ids, each
 * half found on its own index, not an OR across the two, which no index serves (a whole-table read).
 */
const writtenBy = (settingIds: number[]) =>
	sql<boolean>`b.id in (select w.id from bid w where w.lead_setting_id in (${sql.join(settingIds)}) union all select p.bid_id from bid_partner p where p.setting_id in (${sql.join(settingIds)}))`;
/** Whether setting `s` (in locality `l`) is in the cluster named by `column`: its locality or that locality's district. */
const holdsSetting = (column: 'b.cluster_id' | 'r.cluster_id') => sql<boolean>`${sql.ref(column)} in (s.cluster_id, l.parent_id)`;

/** A to-do line about a bid, keyed by what to do, the bid and (when one setting is asked) the setting. */
function bidTodo(kind: string, bidId: number, title: string, detail: string, also: { settingId?: number; dueAt?: string } = {}): TodoItem {
	const key = `bid.${kind}:${bidId}${also.settingId === undefined ? '' : `:${also.settingId}`}`;
	return { key, title, detail, link: bidLink(bidId), ...(also.dueAt === undefined ? {} : { dueAt: also.dueAt }) };
}

/**
 * A provider that scans the work for rows (most urgent first, capped at SCAN_LIMIT), keeps the ones
 * the policy allows and words each as an item. `involvementOf` names the bid whose part-taking by
 * this person the policy needs (rules about not judging one's own work).
 */
function scanning<Row>(spec: {
	name: string;
	heading: string;
	appliesTo: (actor: Actor) => boolean;
	scan: (db: Database, actor: Actor) => { limit(rows: number): { execute(): Promise<Row[]> } };
	involvementOf?: (row: Row) => number;
	check: (row: Row, involvement: (bidId: number) => Involvement[]) => PolicyCheck;
	item: (row: Row) => TodoItem;
}): TodoProvider {
	return {
		name: spec.name,
		heading: spec.heading,
		appliesTo: spec.appliesTo,
		async find(db, actor, limit) {
			const rows = await spec.scan(db, actor).limit(SCAN_LIMIT).execute();
			const bidIds = spec.involvementOf ? [...new Set(rows.map(spec.involvementOf))] : [];
			const involved = await loadInvolvements(db, bidIds, actor.id);
			const allowed = rows.filter((row) => can(actor, spec.check(row, (bidId) => involved.get(bidId) ?? [])).allowed);
			return { items: allowed.slice(0, limit).map(spec.item), total: allowed.length };
		}
	};
}

const headteachers = (actor: Actor) => settingsWhere(actor, 'headteacher').length > 0;
const settingStaff = (actor: Actor) => settingsWhere(actor).length > 0;
/** The setting as the policy sees it, from a row of `setting as s` joined to its locality `l`. */
const settingRef = (row: { setting_id: number; setting_name: string; setting_cluster_id: number; parent_id: number | null }) => ({
	id: row.setting_id,
	name: row.setting_name,
	clusterId: row.setting_cluster_id,
	districtId: row.parent_id ?? row.setting_cluster_id
});
/** Whether setting `s` is a partner in bid `b`. */
const partnerInBid = sql<boolean>`exists (select 1 from bid_partner p where p.bid_id = b.id and p.setting_id = s.id)`;
/** The setting `s` (in its locality `l`) as the policy needs it. */
const SETTING_COLUMNS = ['s.id as setting_id', 's.name as setting_name', 's.cluster_id as setting_cluster_id', 'l.parent_id'] as const;

/** Headteachers of cluster settings outside a bid: endorse or object to its current submission. */
const bidsToEndorse = scanning({
	name: 'bids.endorse',
	heading: 'Bids to endorse',
	appliesTo: headteachers,
	scan: (db, actor) =>
		bidsWithCluster(db)
			.innerJoin('setting as s', (join) => join.onTrue())
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select([...BID_COLUMNS, partnerIds(), ...SETTING_COLUMNS])
			.where('s.id', 'in', settingsWhere(actor, 'headteacher'))
			.where('b.status', '=', 'endorsement')
			.where(holdsSetting('b.cluster_id'))
			// Endorsement is the rest of the cluster's judgement: the bid's own settings do not endorse it.
			.where((eb) => eb('b.lead_setting_id', '!=', eb.ref('s.id')))
			.where(({ not }) => not(partnerInBid))
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('bid_endorsement as e')
							.select('e.id')
							.whereRef('e.bid_id', '=', 'b.id')
							.whereRef('e.submission_no', '=', 'b.submission_no')
							.whereRef('e.setting_id', '=', 's.id')
					)
				)
			)
			.orderBy('b.updated_at')
			.orderBy('b.id'),
	involvementOf: (row) => row.bid_id,
	check: (row, involvement) => ({ action: 'bid.endorse', bid: bidRef(row), setting: settingRef(row), involvement: involvement(row.bid_id) }),
	item: (row) => bidTodo('endorse', row.bid_id, `Endorse or object to “${row.title}”`, `For ${row.setting_name}`, { settingId: row.setting_id })
});

/** Headteachers of a bid's settings: confirm a pledge that is set or changed but not confirmed. */
const pledgesToConfirm = scanning({
	name: 'bids.confirmPledge',
	heading: 'Pledges to confirm',
	appliesTo: headteachers,
	scan: (db, actor) =>
		bidsWithCluster(db)
			.innerJoin('bid_pledge as g', 'g.bid_id', 'b.id')
			.innerJoin('setting as s', 's.id', 'g.setting_id')
			.select([...BID_COLUMNS, partnerIds(), 's.id as setting_id', 's.name as setting_name'])
			.where('g.setting_id', 'in', settingsWhere(actor, 'headteacher'))
			.where('g.confirmed_at', 'is', null)
			.where('b.status', '=', 'draft')
			.orderBy('b.updated_at')
			.orderBy('b.id'),
	check: (row) => ({ action: 'bid.confirmPledge', bid: bidRef(row), settingId: row.setting_id }),
	item: (row) => bidTodo('confirmPledge', row.bid_id, `Confirm your pledge to “${row.title}”`, `For ${row.setting_name}`, { settingId: row.setting_id })
});

/** Staff of a draft's lead or partner settings: finish it before its round closes, soonest first. */
const draftsToFinish = scanning({
	name: 'bids.finishDraft',
	heading: 'Bids to finish before the round closes',
	appliesTo: settingStaff,
	scan: (db, actor) =>
		bidsWithCluster(db)
			.innerJoin('funding_round as r', 'r.id', 'b.round_id')
			.select([...BID_COLUMNS, partnerIds(), 'r.name as round_name', 'r.closes_at'])
			.where('b.status', '=', 'draft')
			.where('r.status', '=', 'open')
			.where('r.closes_at', '>', new Date())
			.where(writtenBy(settingsWhere(actor)))
			.orderBy('r.closes_at')
			.orderBy('b.id'),
	check: (row) => ({ action: 'bid.edit', bid: bidRef(row) }),
	item: (row) =>
		bidTodo('finishDraft', row.bid_id, `Finish and submit “${row.title}”`, `${row.round_name} closes on ${formatDate(row.closes_at)}`, {
			dueAt: row.closes_at.toISOString()
		})
});

/** Staff of settings in an open round's cluster whose setting has no bid in it yet. */
const roundsToBidIn = scanning({
	name: 'bids.openRound',
	heading: 'Funding rounds open for bids',
	appliesTo: settingStaff,
	scan: (db, actor) =>
		db
			.selectFrom('funding_round as r')
			.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
			.innerJoin('setting as s', (join) => join.onTrue())
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select(['r.id as round_id', 'r.name as round_name', 'r.closes_at', 'r.cluster_id', 'c.name as cluster_name', 'c.leads_may_open_rounds', ...SETTING_COLUMNS])
			.where('s.id', 'in', settingsWhere(actor))
			.where('r.status', '=', 'open')
			.where('r.opens_at', '<=', new Date())
			.where('r.closes_at', '>', new Date())
			.where(holdsSetting('r.cluster_id'))
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('bid as b')
							.select('b.id')
							.whereRef('b.round_id', '=', 'r.id')
							.where('b.status', '!=', 'withdrawn')
							.where((eb) => eb.or([eb('b.lead_setting_id', '=', eb.ref('s.id')), partnerInBid]))
					)
				)
			)
			.orderBy('r.closes_at')
			.orderBy('r.id')
			.orderBy('s.name'),
	check: (row) => ({
		action: 'bid.create',
		round: { id: row.round_id, clusterId: row.cluster_id, clusterName: row.cluster_name, leadsMayOpenRounds: row.leads_may_open_rounds },
		leadSetting: settingRef(row)
	}),
	item: (row) => ({
		key: `bid.openRound:${row.round_id}:${row.setting_id}`,
		title: `Start a bid in “${row.round_name}”`,
		detail: `${row.setting_name} has no bid in it yet; it closes on ${formatDate(row.closes_at)}`,
		link: `/rounds/${row.round_id}`,
		dueAt: row.closes_at.toISOString()
	})
});

/** Council officers: the county-wide queue of bids waiting for a decision, longest waiting first. */
const decisionsWaiting: TodoProvider = {
	name: 'bids.decide',
	heading: 'Bids waiting for a decision',
	appliesTo: (actor) => isCountyStaff(actor),
	async find(db, actor, limit) {
		const waiting = db.selectFrom('bid as b').where('b.status', '=', 'review');
		const [count, rows] = await Promise.all([
			waiting.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
			bidsWithCluster(db)
				.where('b.status', '=', 'review')
				.leftJoin('bid_submission as sub', (join) => join.onRef('sub.bid_id', '=', 'b.id').onRef('sub.submission_no', '=', 'b.submission_no'))
				.select([...BID_COLUMNS, partnerIds(), 'sub.submitted_at'])
				.orderBy(sql`coalesce(sub.submitted_at, b.updated_at)`)
				.orderBy('b.id')
				.limit(limit)
				.execute()
		]);
		const involved = await loadInvolvements(db, rows.map((row) => row.bid_id), actor.id);
		// An officer who took part in a bid is not asked to decide it (another officer must).
		const allowed = rows.filter((row) => can(actor, { action: 'bid.decide', bid: bidRef(row), involvement: involved.get(row.bid_id) ?? [] }).allowed);
		return {
			// When the policy allowed every bid shown, the count stands; otherwise only what was allowed is counted.
			total: allowed.length === rows.length ? Number(count.n) : allowed.length,
			items: allowed.map((row) =>
				bidTodo('decide', row.bid_id, `Decide on “${row.title}”`, `${row.cluster_name}${row.submitted_at ? `, submitted ${formatDate(row.submitted_at)}` : ''}`)
			)
		};
	}
};

/** Staff of a funded bid's settings: milestones due soon (or overdue) and not yet done. */
const milestonesDue = scanning({
	name: 'bids.milestones',
	heading: 'Milestone updates due',
	appliesTo: settingStaff,
	scan: (db, actor) =>
		bidsWithCluster(db)
			.innerJoin('bid_milestone as m', 'm.bid_id', 'b.id')
			.select((eb) => [...BID_COLUMNS, partnerIds(), eb.fn.min('m.due_on').as('next_due'), eb.fn.countAll<number>().as('due_count')])
			.where('b.status', '=', 'funded')
			.where('m.progress', '!=', 'done')
			.where('m.due_on', '<=', sql<string>`(current_date + ${MILESTONE_DUE_DAYS}::int)`)
			.where(writtenBy(settingsWhere(actor)))
			.groupBy(['b.id', 'c.name'])
			.orderBy('next_due')
			.orderBy('b.id'),
	check: (row) => ({ action: 'bid.updateMilestone', bid: bidRef(row) }),
	item: (row) => {
		const due = Number(row.due_count);
		const detail = `${due} ${due === 1 ? 'milestone' : 'milestones'} due by ${formatDate(String(row.next_due))}`;
		return bidTodo('milestones', row.bid_id, `Update the milestones of “${row.title}”`, detail, { dueAt: String(row.next_due) });
	}
});

/** In the order the home page shows them: what blocks others first, then one's own deadlines. */
export const bidTodoProviders: readonly TodoProvider[] = [
	decisionsWaiting,
	bidsToEndorse,
	pledgesToConfirm,
	draftsToFinish,
	milestonesDue,
	roundsToBidIn
];
