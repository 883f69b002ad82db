import type { Kysely } from 'kysely';
import type { DB } from '../db';
import type { BidRef, Involvement, RoundRef, SettingRef } from '../policy';
import { notFound } from '../errors';
import { settingsIn } from '../workspace/queries';

// Loaders for the rows the policy judges, usable inside or outside a transaction.
type Reader = Kysely<DB>;

export async function loadSettingRef(db: Reader, settingId: number): Promise<SettingRef> {
	const row = await db
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.select(['s.id', 's.name', 's.cluster_id', 'l.parent_id'])
		.where('s.id', '=', settingId)
		.executeTakeFirst();
	if (!row) throw notFound('That setting');
	return { id: row.id, name: row.name, clusterId: row.cluster_id, districtId: row.parent_id ?? row.cluster_id };
}

export async function loadRoundRef(db: Reader, roundId: number): Promise<RoundRef> {
	const row = await db
		.selectFrom('funding_round as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.select(['r.id', 'r.cluster_id', 'c.name', 'c.leads_may_open_rounds'])
		.where('r.id', '=', roundId)
		.executeTakeFirst();
	if (!row) throw notFound('That funding round');
	return { id: row.id, clusterId: row.cluster_id, clusterName: row.name, leadsMayOpenRounds: row.leads_may_open_rounds };
}

export async function loadBidRef(db: Reader, bidId: number): Promise<BidRef> {
	const row = await db
		.selectFrom('bid as b')
		.innerJoin('cluster as c', 'c.id', 'b.cluster_id')
		.select(['b.id', 'b.cluster_id', 'c.name', 'b.lead_setting_id'])
		.where('b.id', '=', bidId)
		.executeTakeFirst();
	if (!row) throw notFound('That bid');
	return {
		id: row.id,
		clusterId: row.cluster_id,
		clusterName: row.name,
		leadSettingId: row.lead_setting_id,
		partnerSettingIds: await partnersOf(db, bidId)
	};
}

/** The bid's partner settings (not the lead). */
export async function partnersOf(db: Reader, bidId: number): Promise<number[]> {
	const rows = await db.selectFrom('bid_partner').select('setting_id').where('bid_id', '=', bidId).execute();
	return rows.map((p) => p.setting_id);
}

/** History entries that make someone a party to a bid (see `independentOf` in the policy). */
const INVOLVING: Record<string, Involvement> = {
	'bid.created': 'led',
	'bid.submitted': 'led',
	'bid.section_saved': 'wrote',
	'bid.partner_added': 'wrote',
	'bid.partner_removed': 'wrote',
	'bid.pledge_confirmed': 'pledged',
	'bid.endorsed': 'endorsed',
	'bid.objected': 'objected'
};

/** What this person has done to the bid, from its history (the audit log is the record of who did what). */
export async function loadInvolvement(db: Reader, bidId: number, userId: number): Promise<Involvement[]> {
	return (await loadInvolvements(db, [bidId], userId)).get(bidId) ?? [];
}

/** The same for many bids at once (one query, for lists such as the to-do list). */
export async function loadInvolvements(db: Reader, bidIds: number[], userId: number): Promise<Map<number, Involvement[]>> {
	const byBid = new Map<number, Involvement[]>();
	if (bidIds.length === 0) return byBid;
	const rows = await db
		.selectFrom('audit_log')
		.select(['subject_id', 'action'])
		.distinct()
		.where('subject_type', '=', 'bid')
		.where('subject_id', 'in', bidIds)
		.where('actor_id', '=', userId)
		.where('action', 'in', Object.keys(INVOLVING))
		.execute();
	const found = new Map<number, Set<Involvement>>();
	for (const row of rows) {
		const kinds = found.get(row.subject_id) ?? new Set<Involvement>();
		kinds.add(INVOLVING[row.action]);
		found.set(row.subject_id, kinds);
	}
	// Fixed order, so the refusal names the strongest tie first.
	for (const [bidId, kinds] of found) byBid.set(bidId, (['led', 'wrote', 'pledged', 'endorsed', 'objected'] as const).filter((i) => kinds.has(i)));
	return byBid;
}

/** Settings whose staff write the bid: the lead first, then partners. */
export const writingSettings = (bid: BidRef) => [bid.leadSettingId, ...bid.partnerSettingIds];

/** Settings in a cluster (a district's are those of its localities). */
export function settingsInCluster(db: Reader, clusterId: number) {
	return settingsIn(db, clusterId).select(['s.id', 's.name', 's.phase']).orderBy('s.name');
}

/** People holding a role at any of these settings (optionally one role only). */
export async function staffOf(db: Reader, settingIds: number[], role?: 'headteacher' | 'senco'): Promise<number[]> {
	if (settingIds.length === 0) return [];
	let query = db
		.selectFrom('setting_membership as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select('m.user_id')
		.where('m.setting_id', 'in', settingIds)
		.where('u.is_active', '=', true);
	if (role) query = query.where('m.role', '=', role);
	const rows = await query.execute();
	return [...new Set(rows.map((r) => r.user_id))];
}

export async function councilOfficers(db: Reader): Promise<number[]> {
	const rows = await db
		.selectFrom('app_user')
		.select('id')
		.where('county_role', '=', 'officer')
		.where('is_active', '=', true)
		.execute();
	return rows.map((r) => r.id);
}
