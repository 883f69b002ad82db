import { sql, type Kysely } from 'kysely';
import type { DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can, isCountyStaff } from '../policy';
import { auditHistory } from '../audit';
import { notFound } from '../errors';
import { idAmong, idWindow, keysetPage, type Cursor, type Keyset, type KeyKind } from '../paging';
import type { EditionPoint } from '$lib/pcf/model';
import type { EditionRef } from './policy';
import { editionWaitsFor, pointsByTheme } from './edition-rules';
import { themesOf } from './queries';
import type { Trx } from './proposals';

type Reader = Kysely<DB>;

// What the edition pages read. Staff pages ask the policy first; the public pages read published
// editions only, and of their points only what the "you said, we did" page shows: the point, its
// themes, the answer and its journey, the district. Never a name.

export const COUNTY_NAME = 'Oxfordshire';
export const EDITIONS_KEY: KeyKind[] = ['int'];

const editionColumns = [
	'e.id', 'e.district_id', 'e.title', 'e.period_from', 'e.period_to', 'e.introduction', 'e.officer_approved_by', 'e.officer_approved_at',
	'e.lead_approved_by', 'e.lead_approved_at', 'e.published_at', 'e.version', 'e.created_at', 'e.points_snapshot'
] as const;

/**
 * The leads an edition's PCF approval may come from: its district group's, or every group's for a
 * county-wide edition. For an approval, read under a share lock, so a lead named or replaced at
 * the same moment (which locks the group's row) is settled one way or the other first.
 */
async function leadsFor(db: Reader, districtId: number | null, lock: boolean): Promise<number[]> {
	let query = db.selectFrom('pcf_group').select('lead_user_id').where('lead_user_id', 'is not', null);
	if (districtId !== null) query = query.where('district_id', '=', districtId);
	if (lock) query = query.forShare();
	return (await query.execute()).flatMap((row) => (row.lead_user_id === null ? [] : [row.lead_user_id]));
}

async function editionOf(db: Reader, editionId: number, lock: boolean) {
	let query = db
		.selectFrom('pcf_edition as e')
		.leftJoin('cluster as d', 'd.id', 'e.district_id')
		.select([...editionColumns, 'd.name as district_name'])
		.where('e.id', '=', editionId);
	if (lock) query = query.forUpdate('e');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That edition');
	const ref: EditionRef = {
		districtId: row.district_id,
		districtName: row.district_name ?? COUNTY_NAME,
		leadUserIds: await leadsFor(db, row.district_id, lock),
		published: row.published_at !== null,
		officerApprovedBy: row.officer_approved_by,
		leadApprovedBy: row.lead_approved_by
	};
	return { row, ref };
}

export const loadEdition = (db: Reader, editionId: number) => editionOf(db, editionId, false);
/** The edition's row locked for the rest of the transaction. */
export const lockEdition = (trx: Trx, editionId: number) => editionOf(trx, editionId, true);

/** The editions this person works on: every one for officers, their districts' and the county-wide ones for a representative. */
export async function editionsFor(db: Reader, actor: Actor, cursor: Cursor | null) {
	assertCan(actor, { action: 'pcf.editions.view' });
	const query = db
		.selectFrom('pcf_edition as e')
		.leftJoin('cluster as d', 'd.id', 'e.district_id')
		.select(['e.id', 'e.title', 'e.period_from', 'e.period_to', 'e.published_at', 'e.officer_approved_at', 'e.lead_approved_at', 'd.name as district_name']);
	const byId: Keyset<{ id: number }> = { order: [sql`e.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: 20 };
	if (isCountyStaff(actor)) return keysetPage(query, byId);
	// The county-wide ones and each of their PCF districts', one window each on (district_id, id).
	const reps = actor.clusterRoles.filter((r) => r.role === 'pcf_rep').map((r) => r.clusterId);
	const visible = (from: Cursor | null) =>
		query.where(
			idAmong('e.id', [
				idWindow(db.selectFrom('pcf_edition as county').select('county.id').where('county.district_id', 'is', null), 'county.id', byId, from),
				...reps.map((districtId) => idWindow(db.selectFrom('pcf_edition as own').select('own.id').where('own.district_id', '=', districtId), 'own.id', byId, from))
			])
		);
	return keysetPage(visible, byId);
}

/** Most points an edition lists: a period's worth for one district is far fewer. */
const EDITION_POINTS_MAX = 500;

/**
 * The published points of the edition's period (published on a day in it, in Europe/London), for
 * its district or the county, as they stand now: what a draft shows, and what publishing freezes.
 */
export async function currentEditionPoints(db: Reader, edition: { district_id: number | null; period_from: string; period_to: string }): Promise<EditionPoint[]> {
	let query = db
		.selectFrom('pcf_point as p')
		.innerJoin('cluster as d', 'd.id', 'p.district_id')
		.leftJoin('bid as b', 'b.id', 'p.bid_id')
		.leftJoin('pcf_consultation as k', 'k.id', 'p.consultation_id')
		.leftJoin('funding_round as r', 'r.id', 'p.round_id')
		.leftJoin('capital_application as a', 'a.id', 'p.capital_application_id')
		.select(sql<string>`coalesce(b.title, k.title, 'Every bid in ' || r.name, a.title, '')`.as('proposal'))
		.select(['p.id', 'd.name as district', 'p.source', 'p.body', 'p.raised_count', 'p.answer', 'p.answer_text', 'p.change_by', 'p.delivered_on', 'p.delivery_evidence'])
		.where('p.public_at', 'is not', null)
		.where('p.withdrawn_at', 'is', null)
		.where(sql<boolean>`(p.public_at at time zone 'Europe/London')::date between ${edition.period_from}::date and ${edition.period_to}::date`)
		.orderBy('p.public_at')
		.orderBy('p.id')
		.limit(EDITION_POINTS_MAX);
	if (edition.district_id !== null) query = query.where('p.district_id', '=', edition.district_id);
	const rows = await query.execute();
	const themes = await themesOf(db, rows.map((r) => r.id));
	return rows.map((row) => ({
		id: row.id,
		district: row.district,
		proposal: row.proposal,
		source: row.source,
		body: row.body,
		raisedCount: row.raised_count,
		answer: row.answer,
		answerText: row.answer_text,
		changeBy: row.change_by,
		deliveredOn: row.delivered_on,
		evidence: row.delivery_evidence,
		themes: themes.get(row.id) ?? []
	}));
}

/** An edition's points by theme: a published edition's frozen copy, a draft's as they stand now. */
export async function editionPoints(db: Reader, edition: { district_id: number | null; period_from: string; period_to: string; points_snapshot: EditionPoint[] | null }) {
	return pointsByTheme(edition.points_snapshot ?? (await currentEditionPoints(db, edition)));
}

/** An edition's staff page: the edition, what it still waits for, its points by theme, its timeline and what this person may do. */
export async function editionPage(db: Reader, actor: Actor, editionId: number) {
	const { row, ref } = await loadEdition(db, editionId);
	assertCan(actor, { action: 'pcf.edition.view', edition: ref });
	const [themes, timeline, approvers] = await Promise.all([
		editionPoints(db, row),
		auditHistory(db, { subjects: [{ type: 'pcf_edition', ids: [editionId] }] }, 100),
		db
			.selectFrom('app_user')
			.select(['id', 'name'])
			.where('id', 'in', [row.officer_approved_by ?? 0, row.lead_approved_by ?? 0])
			.execute()
	]);
	const nameOf = (id: number | null) => approvers.find((a) => a.id === id)?.name ?? null;
	const { points_snapshot: _frozen, ...edition } = row;
	return {
		edition: { ...edition, district_name: ref.districtName, officer_name: nameOf(row.officer_approved_by), lead_name: nameOf(row.lead_approved_by) },
		waitsFor: row.published_at ? [] : editionWaitsFor({ officerApproved: row.officer_approved_at !== null, leadApproved: row.lead_approved_at !== null }),
		themes,
		timeline,
		can: {
			edit: can(actor, { action: 'pcf.edition.edit', edition: ref }).allowed,
			approveAsOfficer: row.officer_approved_at === null && can(actor, { action: 'pcf.edition.approve', edition: ref, as: 'officer' }).allowed,
			approveAsLead: row.lead_approved_at === null && can(actor, { action: 'pcf.edition.approve', edition: ref, as: 'lead' }).allowed
		}
	};
}

// --- Public: no sign-in, published editions only ---

export async function publicEditions(db: Reader, cursor: Cursor | null) {
	const query = db
		.selectFrom('pcf_edition as e')
		.leftJoin('cluster as d', 'd.id', 'e.district_id')
		.select(['e.id', 'e.title', 'e.period_from', 'e.period_to', 'e.published_at', 'd.name as district_name'])
		.where('e.published_at', 'is not', null);
	return keysetPage(query, { order: [sql`e.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: 20 });
}

/** A published edition with its points by theme; an unpublished one is not found (as if it did not exist). */
export async function publicEdition(db: Reader, editionId: number) {
	const row = await db
		.selectFrom('pcf_edition as e')
		.leftJoin('cluster as d', 'd.id', 'e.district_id')
		.select(['e.id', 'e.district_id', 'e.title', 'e.period_from', 'e.period_to', 'e.introduction', 'e.published_at', 'e.points_snapshot', 'd.name as district_name'])
		.where('e.id', '=', editionId)
		.where('e.published_at', 'is not', null)
		.executeTakeFirst();
	if (!row) throw notFound('That edition');
	const { points_snapshot: frozen, ...edition } = row;
	// Published editions always carry their frozen copy (the table's check says so); never today's points.
	return { edition: { ...edition, district_name: edition.district_name ?? COUNTY_NAME, published_at: edition.published_at! }, themes: pointsByTheme(frozen ?? []) };
}
