import type { Transaction } from 'kysely';
import type { DB } from '../../db';
import type { QueuedEvent } from '../../work';
import { invalid, notFound } from '../../errors';
import { bumpSection, type VersionedTable } from '../../document';
import { bidRoom, clusterRoom } from '$lib/live/rooms';
import { bidMoney } from '$lib/bids/content';
import type { BidSection, BidStatus } from '$lib/bids/model';
import { nextStatus, type BidAction } from '$lib/bids/rules';
import type { BidRef, RoundRef } from '../../policy';
import { partnersOf, settingsInCluster, writingSettings } from '../access';
import { loadContent, roundIsAccepting } from '../queries';

// The steps every bid and round command shares inside its transaction. The row a command judges is
// read once, under the lock its write takes, and the policy is asked about that row: a change
// committed just before (a partner removed, a setting moved) cannot slip past the rule.

export type Trx = Transaction<DB>;
export const bidLink = (bidId: number) => `/bids/${bidId}`;
export const roundLink = (roundId: number) => `/rounds/${roundId}`;

export interface LockedBid {
	id: number;
	round_id: number;
	cluster_id: number;
	lead_setting_id: number;
	title: string;
	status: BidStatus;
	version: number;
	submission_no: number;
	section_versions: Partial<Record<BidSection, number>>;
	requested_pence: number;
	round_status: string;
	opens_at: Date;
	closes_at: Date;
}

/** Locks the bid row for the rest of the transaction (writers and deciders take turns) and builds its BidRef from it. */
export async function lockBid(trx: Trx, bidId: number): Promise<{ bid: LockedBid; ref: BidRef }> {
	const row = await trx
		.selectFrom('bid as b')
		.innerJoin('funding_round as r', 'r.id', 'b.round_id')
		.innerJoin('cluster as c', 'c.id', 'b.cluster_id')
		.select(['b.id', 'b.round_id', 'b.cluster_id', 'c.name as cluster_name', 'b.lead_setting_id', 'b.title', 'b.status', 'b.version'])
		.select(['b.submission_no', 'b.section_versions', 'b.requested_pence', 'r.status as round_status', 'r.opens_at', 'r.closes_at'])
		.where('b.id', '=', bidId)
		.forUpdate('b')
		.executeTakeFirst();
	if (!row) throw notFound('That bid');
	const { cluster_name, ...rest } = row;
	// Partners change only under this same lock (adding and removing one locks the bid first).
	const ref: BidRef = {
		id: row.id,
		clusterId: row.cluster_id,
		clusterName: cluster_name,
		leadSettingId: row.lead_setting_id,
		partnerSettingIds: await partnersOf(trx, row.id)
	};
	const bid: LockedBid = {
		...rest,
		status: row.status,
		section_versions: row.section_versions
	};
	return { bid, ref };
}

/** Locks the round row (`share` for a bid started in it, `update` to change it) and builds its RoundRef from it. */
export async function lockRound(trx: Trx, roundId: number, mode: 'share' | 'update') {
	const query = trx
		.selectFrom('funding_round as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.select(['r.id', 'r.name', 'r.status', 'r.version', 'r.opens_at', 'r.closes_at', 'r.cluster_id', 'c.name as cluster_name', 'c.leads_may_open_rounds'])
		.where('r.id', '=', roundId);
	const row = await (mode === 'share' ? query.forShare('r') : query.forUpdate('r')).executeTakeFirst();
	if (!row) throw notFound('That funding round');
	const ref: RoundRef = { id: row.id, clusterId: row.cluster_id, clusterName: row.cluster_name, leadsMayOpenRounds: row.leads_may_open_rounds };
	return { round: row, ref };
}

/** The settings of the bid's cluster outside the bid: the only ones whose view counts in endorsement. */
export async function endorsingSettings(trx: Trx, ref: BidRef): Promise<{ id: number; name: string }[]> {
	const own = new Set(writingSettings(ref));
	const all = await settingsInCluster(trx, ref.clusterId).execute();
	return all.filter((s) => !own.has(s.id));
}

export function requireTransition(bid: LockedBid, action: BidAction): BidStatus {
	const result = nextStatus(bid.status, action);
	if (!result.ok) throw invalid(result.message);
	return result.to;
}

export function requireAccepting(bid: LockedBid) {
	if (!roundIsAccepting({ status: bid.round_status, opens_at: bid.opens_at, closes_at: bid.closes_at })) {
		throw invalid('This funding round is closed, so bids in it can no longer be changed, submitted or endorsed.');
	}
}

export function requireDraft(bid: LockedBid) {
	if (bid.status !== 'draft') {
		throw invalid('This bid has been submitted, so it can no longer be edited. An officer can return it for changes.');
	}
}

/** Keeps the stored requested amount in step with the budget and pledges (never typed by anyone). */
export async function refreshRequested(trx: Trx, bidId: number): Promise<number> {
	const content = await loadContent(trx, bidId);
	const { requestedPence } = bidMoney(content);
	await trx.updateTable('bid').set({ requested_pence: requestedPence }).where('id', '=', bidId).execute();
	return requestedPence;
}

/** What every change tells: the bid's room and the cluster's workspace. */
export function bidChanged(bid: Pick<LockedBid, 'id' | 'round_id' | 'cluster_id'>, version: number, section: BidSection | null): QueuedEvent[] {
	const payload = { bidId: bid.id, roundId: bid.round_id, version, section };
	return [
		{ room: bidRoom(bid.id), kind: 'bid.changed', payload },
		{ room: clusterRoom(bid.cluster_id), kind: 'bid.changed', payload }
	];
}

/** Where a bid keeps its versions, for the document kit: each change also marks when the bid was last updated. */
export const bidVersions = (bidId: number): VersionedTable => ({ table: 'bid', id: bidId, noun: 'That bid', touchColumn: 'updated_at' });

/** Every change bumps the bid's version (and the section's, if one changed); returns the events that tell of it. */
export async function bumpVersion(trx: Trx, bid: LockedBid, section: BidSection | null): Promise<{ version: number; events: QueuedEvent[] }> {
	const bumped = await bumpSection(trx, bidVersions(bid.id), section);
	const version = bumped.version ?? bid.version + 1;
	return { version, events: bidChanged(bid, version, section) };
}
