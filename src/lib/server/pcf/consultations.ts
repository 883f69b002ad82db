import { sql, type Kysely } from 'kysely';
import type { Database, DB } from '../db';
import { cachedRead } from '../workspace/cache';
import type { Actor } from '../auth/actor';
import { assertCan, can, isCountyStaff } from '../policy';
import { auditEntries, auditEntryOf, auditHistory } from '../audit';
import { idAmong, idWindow, keysetPage, type Cursor, type Keyset, type KeyKind } from '../paging';
import { adviceFor } from './queries';
import { loadGroup, loadProposal } from './proposals';
import { earliestClosing } from './closing';
import { adviceOnConsultation } from './advice-record';
import { calendarAround } from '../disputes/cases';
import { ukToday } from '$lib/dates';
import { consultationsRoom } from '$lib/pcf/live';
import type { RoomName } from '$lib/live/events';
import type { WorkspaceRef } from './policy';

type Reader = Kysely<DB>;

// What the consultation pages read: the list a person may see (officers every one; a PCF group its
// district's; a workspace's members their workspace's), where they may open one, and one
// consultation with the forum's advice on it and its timeline (who opened, extended, closed, why).

export const CONSULTATIONS_KEY: KeyKind[] = ['int'];

export async function consultationsFor(db: Reader, actor: Actor, cursor: Cursor | null) {
	const reps = actor.clusterRoles.filter((r) => r.role === 'pcf_rep').map((r) => r.clusterId);
	const query = db
		.selectFrom('pcf_consultation as k')
		.innerJoin('cluster as c', 'c.id', 'k.cluster_id')
		.select(['k.id', 'k.title', 'k.label', 'k.status', 'k.closes_on', 'k.decision_meeting_on', 'k.decided_at', 'c.name as cluster_name'])
		.select((eb) => eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.consultation_id', '=', 'k.id').as('points'));
	const byId: Keyset<{ id: number }> = { order: [sql`k.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: 20 };
	if (isCountyStaff(actor)) return keysetPage(query, byId);
	// The ones they opened, their PCF districts' and their workspaces': one window on one index each (an index on
	// (district_id, id) gives one district's in id order; a list of districts it would have to sort).
	const clusters = actor.clusterIds;
	const visible = (from: Cursor | null) =>
		query.where(
			idAmong('k.id', [
				idWindow(db.selectFrom('pcf_consultation as own').select('own.id').where('own.owner_id', '=', actor.id), 'own.id', byId, from),
				...reps.map((districtId) => idWindow(db.selectFrom('pcf_consultation as d').select('d.id').where('d.district_id', '=', districtId), 'd.id', byId, from)),
				...clusters.map((clusterId) => idWindow(db.selectFrom('pcf_consultation as w').select('w.id').where('w.cluster_id', '=', clusterId), 'w.id', byId, from))
			])
		);
	return keysetPage(visible, byId);
}

/**
 * The rooms telling this person's list of consultations that one opened, was extended or closed:
 * the county's for officers, else one per workspace they see consultations of (their own, and a
 * district's localities for its group), as few as their memberships.
 */
export const consultationListRooms = (actor: Actor): RoomName[] => (isCountyStaff(actor) ? [consultationsRoom(null)] : actor.clusterIds.map(consultationsRoom));

/** The workspaces this person may open a consultation in, with the earliest closing date each allows today. */
export async function workspacesToOpen(db: Reader, actor: Actor) {
	const clusters = await db
		.selectFrom('cluster as c')
		.leftJoin('pcf_group as g', (join) => join.on(sql<boolean>`g.district_id = coalesce(c.parent_id, c.id)`))
		.select(['c.id', 'c.name', 'c.parent_id', 'g.consultation_min_days', 'g.consultation_avoid_holidays'])
		.where('c.status', '=', 'active')
		.orderBy('c.name')
		.limit(500)
		.execute();
	const today = ukToday();
	const allowed = clusters.filter((c) => can(actor, { action: 'pcf.consultation.open', workspace: { clusterId: c.id, clusterName: c.name, districtId: c.parent_id ?? c.id } }).allowed);
	return Promise.all(
		allowed.map(async (c) => {
			const districtId = c.parent_id ?? c.id;
			const rule = { minDays: c.consultation_min_days ?? 30, avoidHolidays: c.consultation_avoid_holidays ?? true };
			return { id: c.id, name: c.name, minDays: rule.minDays, avoidHolidays: rule.avoidHolidays, earliest: earliestClosing(today, rule, await calendarAround(db, districtId, today)) };
		})
	);
}

export async function consultationPage(db: Reader, actor: Actor, consultationId: number) {
	const proposal = await loadProposal(db, { consultationId });
	assertCan(actor, { action: 'pcf.advice.view', proposal });
	const consultation = await db
		.selectFrom('pcf_consultation as k')
		.innerJoin('cluster as c', 'c.id', 'k.cluster_id')
		.innerJoin('app_user as o', 'o.id', 'k.owner_id')
		.leftJoin('app_user as decider', 'decider.id', 'k.decided_by')
		.select(['k.id', 'k.title', 'k.body', 'k.link', 'k.label', 'k.statutory_route', 'k.coproduction_stage', 'k.opens_on', 'k.closes_on', 'k.status', 'k.closed_automatically', 'k.version', 'c.name as cluster_name', 'o.name as owner_name'])
		.select(['k.decision_meeting_on', 'k.decision', 'k.decision_advice_considered', 'k.decided_at', 'decider.name as decider_name'])
		.where('k.id', '=', consultationId)
		.executeTakeFirstOrThrow();
	const [advice, timeline] = await Promise.all([adviceFor(db, actor, { consultationId }), auditHistory(db, { subjects: [{ type: 'pcf_consultation', ids: [consultationId] }] }, 100)]);
	// A steering decision item's decision is recorded once, by its owner or an officer, from the day of its meeting.
	const meetingOn = consultation.decided_at === null ? consultation.decision_meeting_on : null;
	const decide = meetingOn !== null && can(actor, { action: 'pcf.steering.decide', proposal }).allowed;
	return {
		consultation,
		advice,
		timeline,
		/** For whoever records the decision: the forum's points, and how many still wait for a published answer (the form warns). */
		adviceTally: decide ? await adviceOnConsultation(db, consultationId) : null,
		can: {
			manage: consultation.status === 'open' && consultation.decided_at === null && can(actor, { action: 'pcf.consultation.manage', proposal }).allowed,
			decide: decide && meetingOn <= ukToday(),
			decideLater: decide && meetingOn > ukToday()
		}
	};
}

/**
 * A workspace's newest consultations and steering group decision items for its page (a few; the
 * full list is /pcf/consultations), if this person sees the workspace's list, and whether they may
 * open one there. Null for someone who does not see its consultations.
 */
export async function workspaceConsultations(db: Database, actor: Actor, workspace: WorkspaceRef) {
	const open = can(actor, { action: 'pcf.consultation.open', workspace }).allowed;
	if (!can(actor, { action: 'pcf.consultations.follow', clusterId: workspace.clusterId }).allowed) return null;
	// Remembered with the workspace until one of its consultations changes (`pcf/live.ts`).
	const newest = await cachedRead(db, `consultations:${workspace.clusterId}`, () =>
		db
			.selectFrom('pcf_consultation as k')
			.select(['k.id', 'k.title', 'k.label', 'k.status', 'k.closes_on', 'k.decision_meeting_on', 'k.decided_at'])
			.where('k.cluster_id', '=', workspace.clusterId)
			.orderBy('k.id', 'desc')
			.limit(5)
			.execute()
	);
	return { newest, open };
}

/** A district's consultations and steering group decision items, newest first, for its PCF group's page (one window on the district's index). */
export async function districtConsultations(db: Reader, actor: Actor, districtId: number, cursor: Cursor | null) {
	assertCan(actor, { action: 'pcf.group.view', group: await loadGroup(db, districtId) });
	const byId: Keyset<{ id: number }> = { order: [sql`k.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: 20 };
	const query = (from: Cursor | null) =>
		db
			.selectFrom('pcf_consultation as k')
			.innerJoin('cluster as c', 'c.id', 'k.cluster_id')
			.select(['k.id', 'k.title', 'k.label', 'k.status', 'k.closes_on', 'k.decision_meeting_on', 'k.decided_at', 'c.name as cluster_name'])
			.select((eb) => eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.consultation_id', '=', 'k.id').where('p.district_id', '=', districtId).as('points'))
			.where(idAmong('k.id', [idWindow(db.selectFrom('pcf_consultation as d').select('d.id').where('d.district_id', '=', districtId), 'd.id', byId, from)]));
	return keysetPage(query, byId);
}

/** A district's rule for consultation closing dates, with the earliest closing date it gives today and every change to it (who, when, why). */
export async function consultationRulePage(db: Reader, actor: Actor, districtId: number) {
	const group = await loadGroup(db, districtId);
	assertCan(actor, { action: 'pcf.consultation.settings', group });
	const row = await db.selectFrom('pcf_group').select(['consultation_min_days', 'consultation_avoid_holidays']).where('district_id', '=', districtId).executeTakeFirst();
	// Until an officer changes it, the district has the defaults its group row would be created with.
	const rule = { minDays: row?.consultation_min_days ?? 30, avoidHolidays: row?.consultation_avoid_holidays ?? true };
	const today = ukToday();
	const history = (
		await auditEntries(db, { subjects: [{ type: 'pcf_group', ids: [districtId] }] })
			.where('a.action', '=', 'pcf.consultation_rule_changed')
			.orderBy('a.created_at', 'desc')
			.orderBy('a.id', 'desc')
			.limit(100)
			.execute()
	).map(auditEntryOf);
	return { group: { districtId: group.districtId, districtName: group.districtName, version: group.version }, rule, earliestToday: earliestClosing(today, rule, await calendarAround(db, districtId, today)), history };
}
