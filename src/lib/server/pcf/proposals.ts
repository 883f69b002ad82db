import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db';
import { conflict, invalid, notFound } from '../errors';
import type { GroupRef, ProposalRef } from './policy';
import { bidRoom } from '$lib/live/rooms';
import type { QueuedEvent } from '../work';

// What every PCF command and page reads first: the proposal (a bid, with its district and owner)
// and its district's group. Commands read them inside their transaction, under the lock of the
// row they change, so the rule is asked of what is there now.

export type Trx = Transaction<DB>;
type Reader = Kysely<DB>;

export async function loadProposal(db: Reader, bidId: number): Promise<ProposalRef & { title: string; clusterId: number }> {
	const row = await db
		.selectFrom('bid as b')
		.innerJoin('cluster as c', 'c.id', 'b.cluster_id')
		.innerJoin('cluster as d', (join) => join.on(sql<boolean>`d.id = coalesce(c.parent_id, c.id)`))
		.select(['b.id', 'b.title', 'b.cluster_id', 'b.lead_setting_id', 'b.submission_no', 'd.id as district_id', 'd.name as district_name'])
		.select((eb) =>
			eb
				.selectFrom('bid_partner as p')
				.select(sql<number[]>`coalesce(array_agg(p.setting_id), '{}')`.as('ids'))
				.whereRef('p.bid_id', '=', 'b.id')
				.as('partner_ids')
		)
		.where('b.id', '=', bidId)
		.executeTakeFirst();
	if (!row) throw notFound('That bid');
	return {
		kind: 'bid',
		id: row.id,
		title: row.title,
		clusterId: row.cluster_id,
		districtId: row.district_id,
		districtName: row.district_name,
		submitted: row.submission_no > 0,
		ownerSettingId: row.lead_setting_id,
		partnerSettingIds: row.partner_ids ?? []
	};
}

/** The district's group; a district has one from its first use (no lead until an officer names one). */
export async function loadGroup(db: Reader, districtId: number): Promise<GroupRef & { version: number; answerWithinDays: number }> {
	const row = await db
		.selectFrom('cluster as d')
		.leftJoin('pcf_group as g', 'g.district_id', 'd.id')
		.select(['d.id', 'd.name', 'd.kind', 'g.lead_user_id', 'g.version', 'g.answer_within_days'])
		.where('d.id', '=', districtId)
		.executeTakeFirst();
	if (!row || row.kind !== 'district') throw notFound('That PCF advisory group');
	return { districtId: row.id, districtName: row.name, leadUserId: row.lead_user_id, version: row.version ?? 0, answerWithinDays: row.answer_within_days ?? 20 };
}

/** The group's row locked for the rest of the transaction (created on first use). */
export async function lockGroup(trx: Trx, districtId: number) {
	await trx.insertInto('pcf_group').values({ district_id: districtId }).onConflict((oc) => oc.column('district_id').doNothing()).execute();
	await trx.selectFrom('pcf_group').select('district_id').where('district_id', '=', districtId).forUpdate().execute();
	return loadGroup(trx, districtId);
}

/** A point locked for its change; a page's version older than the row's is a 409 naming who changed it. */
export async function lockPoint(trx: Trx, pointId: number, seenVersion: number) {
	const point = await trx.selectFrom('pcf_point').selectAll().where('id', '=', pointId).forUpdate().executeTakeFirst();
	if (!point || point.bid_id === null) throw notFound('That point');
	if (point.version !== seenVersion) {
		const last = await trx
			.selectFrom('audit_log as a')
			.leftJoin('app_user as u', 'u.id', 'a.actor_id')
			.select(['u.name', 'a.action'])
			.where('a.subject_type', '=', 'pcf_point')
			.where('a.subject_id', '=', pointId)
			.orderBy('a.id', 'desc')
			.executeTakeFirst();
		const what = last?.action === 'pcf.point_answered' ? 'answered this point' : 'changed this point';
		throw conflict(`${last?.name ?? 'Someone else'} ${what} while you were working on it. Check what is saved now before you try again.`);
	}
	return { ...point, bid_id: point.bid_id };
}

/** The people of a district's group (its representatives, active accounts). */
export async function groupMembers(db: Reader, districtId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('cluster_role as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select('r.user_id')
		.where('r.cluster_id', '=', districtId)
		.where('r.role', '=', 'pcf_rep')
		.where('u.is_active', '=', true)
		.execute();
	return rows.map((r) => r.user_id);
}

export const adviceLink = (bidId: number) => `/pcf/bids/${bidId}`;

/** The live event telling the bid's open pages that its advice changed. */
export const adviceChanged = (bidId: number, pointId: number | null = null): QueuedEvent[] => [
	{ room: bidRoom(bidId), kind: 'pcf.changed', payload: { bidId, pointId } }
];

/** Theme ids chosen must all be on the list and not retired; stores them for the point. */
export async function tagThemes(trx: Trx, pointId: number, themeIds: readonly number[], field = 'themeIds'): Promise<string[]> {
	const wanted = [...new Set(themeIds)];
	if (wanted.length === 0) return [];
	const themes = await trx.selectFrom('pcf_theme').select(['id', 'name']).where('id', 'in', wanted).where('retired', '=', false).orderBy('name').execute();
	if (themes.length !== wanted.length) {
		throw invalid('One of the themes chosen is no longer on the list. Reload the page and choose again.', { [field]: ['Choose themes from the list'] });
	}
	await trx.insertInto('pcf_point_theme').values(themes.map((t) => ({ point_id: pointId, theme_id: t.id }))).execute();
	return themes.map((t) => t.name);
}
