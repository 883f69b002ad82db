import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db';
import { conflict, invalid, notFound } from '../errors';
import type { GroupRef, ProposalRef } from './policy';
import { bidRoom } from '$lib/live/rooms';
import { consultationRoom, consultationsRoom, pcfApplicationRoom, pcfRoundRoom, type ConsultationChange, type ListedChange } from '$lib/pcf/live';
import { ukToday } from '$lib/dates';
import type { QueuedEvent } from '../work';

// What every PCF command and page reads first: the proposal (a bid, with its district and owner)
// and its district's group. Commands read them inside their transaction, under the lock of the
// row they change, so the rule is asked of what is there now.

export type Trx = Transaction<DB>;
type Reader = Kysely<DB>;

/** Which proposal: a bid (by its id, as the bid pages say it), a consultation, a whole funding round or an inclusion-base application. */
export type ProposalKey = number | { consultationId: number } | { roundId: number } | { applicationId: number };
export type LoadedProposal = ProposalRef & { title: string; clusterId: number };

/** The column naming each kind of proposal on a position, a point and a watch-list entry. */
const SUBJECT_COLUMNS = { bid: 'bid_id', consultation: 'consultation_id', round: 'round_id', application: 'capital_application_id' } as const;

/** The column naming the proposal on a position, a point or a watch-list entry. */
export const subjectColumn = <K extends ProposalRef['kind']>(proposal: { kind: K }): (typeof SUBJECT_COLUMNS)[K] => SUBJECT_COLUMNS[proposal.kind];

/** The columns naming a proposal on a position and a point: its own, the others null. */
export const subjectOf = (proposal: ProposalRef) => ({ bid_id: null, consultation_id: null, round_id: null, capital_application_id: null, [subjectColumn(proposal)]: proposal.id });

const AUDIT_TYPES = { bid: 'bid', consultation: 'pcf_consultation', round: 'funding_round', application: 'capital_application' } as const;

/** What the audit log names as the proposal's subject (its timeline reads it there). */
export const auditSubjectOf = (proposal: ProposalRef) => ({ type: AUDIT_TYPES[proposal.kind], id: proposal.id });

/** The key of a point's proposal. */
export function keyOfPoint(point: { bid_id: number | null; consultation_id: number | null; round_id: number | null; capital_application_id: number | null }): ProposalKey {
	if (point.bid_id !== null) return point.bid_id;
	if (point.consultation_id !== null) return { consultationId: point.consultation_id };
	if (point.round_id !== null) return { roundId: point.round_id };
	if (point.capital_application_id !== null) return { applicationId: point.capital_application_id };
	throw notFound('That point');
}

/** The input (and audit detail) field naming each kind of proposal. */
const INPUT_KEYS = { bid: 'bidId', consultation: 'consultationId', round: 'roundId', application: 'applicationId' } as const;

/** What the audit detail says the proposal is. */
export const detailOf = (proposal: ProposalRef) => ({ [INPUT_KEYS[proposal.kind]]: proposal.id });

/** A key from input naming a bid, a consultation, a round or an application (the schemas allow exactly one). */
export const keyOfInput = (input: { bidId?: number; consultationId?: number; roundId?: number; applicationId?: number }): ProposalKey =>
	input.consultationId !== undefined
		? { consultationId: input.consultationId }
		: input.roundId !== undefined
			? { roundId: input.roundId }
			: input.applicationId !== undefined
				? { applicationId: input.applicationId }
				: (input.bidId ?? 0);

/**
 * How a proposal's row is read: plainly (a page), or in a command's transaction under a share
 * lock, so the rule is asked of the row as it stays until commit (a consultation being closed or
 * a bid being withdrawn at the same moment waits for the advice, or the advice waits for it).
 */
type Read = 'plain' | 'locked';

export async function loadProposal(db: Reader, key: ProposalKey, read: Read = 'plain'): Promise<LoadedProposal> {
	if (typeof key !== 'number') {
		if ('roundId' in key) return loadRound(db, key.roundId, read);
		if ('applicationId' in key) return loadApplication(db, key.applicationId, read);
		return loadConsultation(db, key.consultationId, read);
	}
	let query = db
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
		.where('b.id', '=', key);
	if (read === 'locked') query = query.forShare('b');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That bid');
	return {
		...proposalIn({ kind: 'bid', id: row.id, title: row.title, cluster_id: row.cluster_id, district_id: row.district_id, district_name: row.district_name }),
		submitted: row.submission_no > 0,
		ownerSettingId: row.lead_setting_id,
		partnerSettingIds: row.partner_ids ?? []
	};
}

/** A proposal read in a command's transaction, under the share lock its advice is written with. */
export const lockProposal = (trx: Trx, key: ProposalKey) => loadProposal(trx, key, 'locked');

/** What every kind of proposal says the same way; a consultation and a round are never drafts and have no setting. */
function proposalIn(row: { kind: LoadedProposal['kind']; id: number; title: string; cluster_id: number; district_id: number; district_name: string }): LoadedProposal {
	return {
		kind: row.kind,
		id: row.id,
		title: row.title,
		clusterId: row.cluster_id,
		districtId: row.district_id,
		districtName: row.district_name,
		submitted: true,
		ownerSettingId: null,
		partnerSettingIds: [],
		ownerUserId: null
	};
}

/** A consultation as a proposal: its owner (who opened it) answers; open from the day it is opened. */
async function loadConsultation(db: Reader, consultationId: number, read: Read): Promise<LoadedProposal> {
	let query = db
		.selectFrom('pcf_consultation as k')
		.innerJoin('cluster as d', 'd.id', 'k.district_id')
		.select(['k.id', 'k.title', 'k.cluster_id', 'k.owner_id', 'k.status', 'k.closes_on', 'd.id as district_id', 'd.name as district_name'])
		.where('k.id', '=', consultationId);
	if (read === 'locked') query = query.forShare('k');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That consultation');
	return { ...proposalIn({ ...row, kind: 'consultation' }), ownerUserId: row.owner_id, closed: row.status === 'closed' || row.closes_on < ukToday() };
}

/**
 * A funding round as a proposal, for a themed response across all its bids: the district of its
 * workspace; readable by the group from the day it opens (rounds are never drafts); owned by the
 * council, so officers answer. A closed round still takes advice, as its bids are still decided.
 */
async function loadRound(db: Reader, roundId: number, read: Read): Promise<LoadedProposal> {
	let query = db
		.selectFrom('funding_round as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.innerJoin('cluster as d', (join) => join.on(sql<boolean>`d.id = coalesce(c.parent_id, c.id)`))
		.select(['r.id', 'r.name as title', 'r.cluster_id', 'd.id as district_id', 'd.name as district_name'])
		.where('r.id', '=', roundId);
	if (read === 'locked') query = query.forShare('r');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That funding round');
	return proposalIn({ ...row, kind: 'round' });
}

/**
 * An inclusion-base application (scheme, grant or rollout) as a proposal: its district's group reads
 * it once submitted (never a draft), as the capital application policy lets a PCF representative
 * see it; its lead setting's staff (who wrote it) answer, its other settings' staff read the advice.
 * Its workspace for the activity feed is its district.
 */
async function loadApplication(db: Reader, applicationId: number, read: Read): Promise<LoadedProposal> {
	let query = db
		.selectFrom('capital_application as a')
		.innerJoin('cluster as d', 'd.id', 'a.district_id')
		.select(['a.id', 'a.title', 'a.reference', 'a.stage', 'a.setting_id', 'd.id as district_id', 'd.name as district_name'])
		.select((eb) =>
			eb
				.selectFrom('capital_application_setting as c')
				.select(sql<number[]>`coalesce(array_agg(c.setting_id), '{}')`.as('ids'))
				.whereRef('c.application_id', '=', 'a.id')
				.as('covered_ids')
		)
		.where('a.id', '=', applicationId);
	if (read === 'locked') query = query.forShare('a');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That application');
	return {
		...proposalIn({ kind: 'application', id: row.id, title: `${row.reference}: ${row.title}`, cluster_id: row.district_id, district_id: row.district_id, district_name: row.district_name }),
		submitted: row.stage !== 'draft',
		ownerSettingId: row.setting_id,
		partnerSettingIds: (row.covered_ids ?? []).filter((id) => id !== row.setting_id)
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
	if (!point) throw notFound('That point');
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
	return { ...point, key: keyOfPoint(point) };
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

const ADVICE_PAGES = { bid: 'bids', consultation: 'consultations', round: 'rounds', application: 'applications' } as const;
export const adviceLink = (proposal: Pick<ProposalRef, 'kind' | 'id'>) => `/pcf/${ADVICE_PAGES[proposal.kind]}/${proposal.id}`;

/** The live event telling the proposal's open pages that its advice changed. */
export function adviceChanged(proposal: ProposalRef, pointId: number | null = null): QueuedEvent[] {
	if (proposal.kind === 'round') return [{ room: pcfRoundRoom(proposal.id), kind: 'pcf.round.changed', payload: { roundId: proposal.id, pointId } }];
	if (proposal.kind === 'application') return [{ room: pcfApplicationRoom(proposal.id), kind: 'pcf.application.changed', payload: { applicationId: proposal.id, pointId } }];
	return proposal.kind === 'bid' ? [{ room: bidRoom(proposal.id), kind: 'pcf.changed', payload: { bidId: proposal.id, pointId } }] : consultationChanged(proposal.id, 'advice');
}

/** The live event telling a consultation's open pages what kind of change to refetch for. */
export const consultationChanged = (consultationId: number, change: ConsultationChange): QueuedEvent[] => [
	{ room: consultationRoom(consultationId), kind: 'pcf.consultation.changed', payload: { consultationId, change } }
];

/**
 * A consultation opened, extended or closed: its own page, and the lists that show it (its
 * workspace's, and officers' county-wide one) refetch. Ids and the kind of change only.
 */
export const consultationListed = (consultation: { id: number; clusterId: number }, change: ListedChange): QueuedEvent[] => [
	...consultationChanged(consultation.id, change),
	...[consultation.clusterId, null].map((clusterId) => ({ room: consultationsRoom(clusterId), kind: 'pcf.consultations.changed' as const, payload: { consultationId: consultation.id, change } }))
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
