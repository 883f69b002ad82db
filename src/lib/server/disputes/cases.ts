import { sql } from 'kysely';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { forbidden, invalid, notFound } from '../errors';
import { idAmong, idWindow, keysetPage, type Cursor, type KeyKind, type KeysetPage } from '../paging';
import { referralSchema } from '$lib/schemas/disputes';
import { DEFAULT_PERIODS, DEFAULT_QUORUM, type CaseStatus, type Category, type DisputePeriods, type OtherParty, type QuorumRule, type Referrer, type Route } from '$lib/disputes/model';
import type { FlagLevel } from '$lib/disputes/outcome';
import type { ClusterKind } from '$lib/roles';
import { daysBetween, districtCalendar, londonDate, type DisputeCalendar } from './calendar';
import { triage } from './rules';
import type { DisputeCaseRef, DistrictRef } from './policy';

// Referrals and the case page. A case keeps the child's initials and year group and nothing else
// about who they are. Triage runs at intake; the deadlines it works out are stored with the case,
// so a later change to the district's periods does not move a family's deadline. Every look at a
// case is logged (who, when, what), a refusal too, and shown to the district's SENDIASS officers.

type Trx = Work['trx'];

/** A district, or a 404 when the id is not one (a locality is not a district). */
export async function districtRef(db: Database | Trx, districtId: number): Promise<DistrictRef> {
	const row = await db.selectFrom('cluster').select(['id', 'name']).where('id', '=', districtId).where('kind', '=', 'district').executeTakeFirst();
	if (!row) throw notFound('That district');
	return row;
}

/** The districts whose panels this person runs. */
export function districtsRunBy(actor: Actor): DistrictRef[] {
	return actor.clusterRoles.filter((role) => role.role === 'sendiass_officer').map((role) => ({ id: role.clusterId, name: role.clusterName }));
}

/** A district's settings (the Code of Practice's periods and the default quorum until officers change them). */
export async function districtSettings(db: Database | Trx, districtId: number): Promise<{ periods: DisputePeriods; quorum: QuorumRule }> {
	const row = await db.selectFrom('dispute_district').select(['periods', 'quorum']).where('cluster_id', '=', districtId).executeTakeFirst();
	return { periods: { ...DEFAULT_PERIODS, ...row?.periods }, quorum: row?.quorum ?? DEFAULT_QUORUM };
}

/** The district's calendar around a date: bank holidays and the terms its officers keep. */
export async function calendarAround(db: Database | Trx, districtId: number, iso: string): Promise<DisputeCalendar> {
	const year = Number(iso.slice(0, 4));
	const terms = await db
		.selectFrom('dispute_term')
		.select(['starts_on as start', 'ends_on as end'])
		.where('district_id', '=', districtId)
		.where('ends_on', '>=', `${year - 1}-01-01`)
		.where('starts_on', '<=', `${year + 2}-12-31`)
		.orderBy('starts_on')
		.execute();
	return districtCalendar(terms, [year - 1, year, year + 1, year + 2]);
}

/** Whether a setting belongs to the district (its locality's parent). */
async function settingInDistrict(trx: Trx, settingId: number, districtId: number): Promise<boolean> {
	const row = await trx
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.select('s.id')
		.where('s.id', '=', settingId)
		.where((eb) => eb.or([eb('l.parent_id', '=', districtId), eb('l.id', '=', districtId)]))
		.executeTakeFirst();
	return row !== undefined;
}

const referenceOf = (district: DistrictRef, id: number) => `DR-${district.name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase()}-${String(id).padStart(4, '0')}`;

export interface RecordedReferral {
	id: number;
	reference: string;
	route: Route;
}

/**
 * A SENDIASS officer records a referral: triage routes out what a panel cannot hear, with its
 * route and deadline, and flags a safeguarding concern for the designated safeguarding lead.
 * The history names the case by reference only.
 */
export async function recordReferral(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<RecordedReferral> {
	const input = parseInput(referralSchema, raw);
	const district = await districtRef(db, input.districtId);
	assertCan(actor, { action: 'disputes.district.run', district });
	return transact(db, actor.id, async (work) => {
		if (input.settingId !== null && !(await settingInDistrict(work.trx, input.settingId, district.id))) {
			throw invalid(`That setting is not in ${district.name}.`, { settingId: [`Choose a setting in ${district.name}`] });
		}
		const intakeDate = londonDate(now);
		const { periods } = await districtSettings(work.trx, district.id);
		const calendar = await calendarAround(work.trx, district.id, input.decisionLetterDate ?? intakeDate);
		let routed;
		try {
			routed = triage({ category: input.category, intakeDate, decisionLetterDate: input.decisionLetterDate, safeguarding: input.safeguarding }, periods, calendar);
		} catch {
			// School days cannot be counted past the last term kept.
			throw invalid(`Add ${district.name}’s term dates for the coming year before recording this referral: its deadline is counted in school days.`);
		}
		const inserted = await work.trx
			.insertInto('dispute_case')
			.values({
				reference: `pending-${now.getTime()}-${actor.id}`,
				district_id: district.id,
				other_party: input.otherParty,
				setting_id: input.settingId,
				referrer: input.referrer,
				supporter: input.supporter,
				interpreter: input.interpreter,
				adjustments: input.adjustments,
				category: input.category,
				route: routed.route,
				status: routed.heardByPanel ? 'referred' : 'routed_out',
				child_initials: input.childInitials,
				year_group: input.yearGroup,
				tried: input.tried,
				outcome_sought: input.outcomeSought,
				child_views: input.childViews,
				urgent: input.urgent,
				safeguarding: input.safeguarding,
				decision_letter_date: input.decisionLetterDate,
				intake_at: now,
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const reference = referenceOf(district, inserted.id);
		await work.trx.updateTable('dispute_case').set({ reference }).where('id', '=', inserted.id).execute();
		if (routed.deadlines.length) {
			await work.trx
				.insertInto('dispute_deadline')
				.values(routed.deadlines.map((d) => ({ case_id: inserted.id, key: d.key, what: d.what, due_on: d.due, from_on: d.from, note: d.note ?? '' })))
				.execute();
		}
		const where = routed.heardByPanel ? 'accepted for a panel' : `routed to ${routed.routeWords.toLowerCase()}`;
		await work.record({
			action: 'disputes.referral_recorded',
			subject: { type: 'dispute_case', id: inserted.id },
			summary: `Recorded referral ${reference}, ${where}${input.safeguarding ? '; safeguarding concern passed to the designated safeguarding lead' : ''}`,
			detail: { route: routed.route, deadlines: routed.deadlines.map((d) => ({ key: d.key, due: d.due })) }
		});
		return { id: inserted.id, reference, route: routed.route };
	});
}

/** Statuses in which the booked panel may see the case: from booking until its follow-up closes. */
const PANEL_WINDOW: readonly CaseStatus[] = ['booked', 'met', 'outcome'];

/**
 * The case as the policy reads it, under its row lock when a write follows: the booked panel comes
 * from the scheduling poll, and members who advised the family or declared a conflict are left out.
 */
export async function caseRef(db: Database | Trx, caseId: number, lock = false) {
	let query = db
		.selectFrom('dispute_case as c')
		.innerJoin('cluster as d', 'd.id', 'c.district_id')
		.leftJoin('dispute_poll as p', 'p.case_id', 'c.id')
		.selectAll('c')
		.select(['d.name as district_name', 'p.booked_member_ids'])
		.where('c.id', '=', caseId);
	if (lock) query = query.forUpdate('c');
	const row = await query.executeTakeFirst();
	if (!row) throw notFound('That case');
	const [conflicts, advisers] = await Promise.all([
		db.selectFrom('dispute_conflict').select('user_id').where('case_id', '=', caseId).execute(),
		db.selectFrom('dispute_adviser').select('user_id').where('case_id', '=', caseId).execute()
	]);
	const ref: DisputeCaseRef = {
		id: row.id,
		reference: row.reference,
		district: { id: row.district_id, name: row.district_name },
		settingId: row.setting_id,
		bookedMemberIds: row.booked_member_ids ?? [],
		conflictedMemberIds: [...conflicts, ...advisers].map((c) => c.user_id),
		panelWindowOpen: PANEL_WINDOW.includes(row.status)
	};
	return { row, ref };
}

/** Logs one look at a case, allowed or refused: who, when, what. Its own statement, so a refusal is kept. */
async function logView(db: Database, caseId: number, viewerId: number | null, what: string, refusal: string | null): Promise<void> {
	await db.insertInto('dispute_case_view').values({ case_id: caseId, viewer_id: viewerId, what, allowed: refusal === null, reason: refusal }).execute();
}

export interface DeadlineView {
	key: string;
	what: string;
	due: string;
	from: string;
	note: string;
	/** Calendar days from today to the deadline (negative once passed): what a family counts down. */
	daysLeft: number;
}

export interface CaseAccess {
	viewer: string | null;
	viewedAt: Date;
	what: string;
	allowed: boolean;
	reason: string | null;
}

/** What the setting's headteacher and SENCO see: the status, never the family's details. */
export interface CaseStatusView {
	level: 'status';
	id: number;
	reference: string;
	status: CaseStatus;
}

export interface CaseDetailsView {
	level: 'details';
	id: number;
	reference: string;
	status: CaseStatus;
	district: DistrictRef;
	route: Route;
	category: Category;
	otherParty: OtherParty;
	settingName: string | null;
	childInitials: string;
	yearGroup: string;
	referrer: Referrer;
	supporter: string;
	interpreter: string;
	adjustments: string;
	tried: string;
	outcomeSought: string;
	childViews: string;
	urgent: boolean;
	safeguarding: boolean;
	decisionLetterDate: string | null;
	intakeAt: Date;
	version: number;
	/** When each party's agreement to take part was recorded (nothing is shared before both). */
	familyAgreedAt: Date | null;
	settingAgreedAt: Date | null;
	deadlines: DeadlineView[];
	/** Whether this person may change the case (record agreement): the district's SENDIASS officers. */
	manages: boolean;
	/** The access log, for the district's SENDIASS officers only. */
	accessLog: CaseAccess[] | null;
}

/** Recent looks shown on the case page; the full log stays in the table for a subject access request. */
export const ACCESS_LOG_SHOWN = 50;

/**
 * Opens a case for this person at the level the policy allows, logging the look. Someone who may
 * see neither the details nor the status is refused with the reason, and the refusal is logged.
 */
export async function openCase(db: Database, actor: Actor | null, caseId: number, now = new Date()): Promise<CaseDetailsView | CaseStatusView> {
	const { row, ref } = await caseRef(db, caseId);
	const details = can(actor, { action: 'disputes.case.view', case: ref });
	if (!details.allowed) {
		const status = can(actor, { action: 'disputes.case.status', case: ref });
		await logView(db, row.id, actor?.id ?? null, 'status', status.allowed ? null : status.reason);
		if (!status.allowed) throw forbidden(status.reason);
		return { level: 'status', id: row.id, reference: row.reference, status: row.status };
	}
	await logView(db, row.id, actor!.id, 'case details', null);
	const today = londonDate(now);
	const manages = can(actor, { action: 'disputes.case.manage', case: ref }).allowed;
	const [deadlines, setting, accessLog] = await Promise.all([
		db.selectFrom('dispute_deadline').select(['key', 'what', 'due_on', 'from_on', 'note']).where('case_id', '=', row.id).orderBy('due_on').orderBy('id').execute(),
		row.setting_id === null ? null : db.selectFrom('setting').select('name').where('id', '=', row.setting_id).executeTakeFirst(),
		manages
			? db
					.selectFrom('dispute_case_view as v')
					.leftJoin('app_user as u', 'u.id', 'v.viewer_id')
					.select(['u.name as viewer', 'v.viewed_at', 'v.what', 'v.allowed', 'v.reason'])
					.where('v.case_id', '=', row.id)
					.orderBy('v.id', 'desc')
					.limit(ACCESS_LOG_SHOWN)
					.execute()
			: null
	]);
	const calendar = districtCalendar([], []);
	return {
		level: 'details',
		id: row.id,
		reference: row.reference,
		status: row.status,
		district: ref.district,
		route: row.route,
		category: row.category,
		otherParty: row.other_party,
		settingName: setting?.name ?? null,
		childInitials: row.child_initials,
		yearGroup: row.year_group,
		referrer: row.referrer,
		supporter: row.supporter,
		interpreter: row.interpreter,
		adjustments: row.adjustments,
		tried: row.tried,
		outcomeSought: row.outcome_sought,
		childViews: row.child_views,
		urgent: row.urgent,
		safeguarding: row.safeguarding,
		decisionLetterDate: row.decision_letter_date,
		intakeAt: row.intake_at,
		version: row.version,
		manages,
		familyAgreedAt: row.family_agreed_at,
		settingAgreedAt: row.setting_agreed_at,
		deadlines: deadlines.map((d) => ({ key: d.key, what: d.what, due: d.due_on, from: d.from_on, note: d.note, daysLeft: daysBetween(today, d.due_on, 'calendar', calendar) })),
		accessLog: accessLog?.map((a) => ({ viewer: a.viewer, viewedAt: a.viewed_at, what: a.what, allowed: a.allowed, reason: a.reason })) ?? null
	};
}

export interface CaseListRow {
	id: number;
	reference: string;
	status: CaseStatus;
	route: Route;
	intakeAt: Date;
	urgent: boolean;
	safeguarding: boolean;
	nextDeadline: string | null;
	/** What the daily job flagged: targets and deadlines approaching or past, soonest first. */
	flags: CaseFlag[];
}

export interface CaseFlag {
	level: FlagLevel;
	what: string;
	due: string;
}

export const CASES_PAGE_SIZE = 20;
export const CASES_KEY: KeyKind[] = ['int'];

/** A district's cases, newest first, a keyset page at a time (for its SENDIASS officers); only the flagged ones when asked. */
export async function districtCases(
	db: Database,
	actor: Actor | null,
	districtId: number,
	cursor: Cursor | null,
	filter: { flaggedOnly?: boolean } = {}
): Promise<{ district: DistrictRef; page: KeysetPage<CaseListRow> }> {
	const district = await districtRef(db, districtId);
	assertCan(actor, { action: 'disputes.district.run', district });
	const query = (cursor: Cursor | null) => db
		.selectFrom('dispute_case as c')
		.select((eb) => [
			'c.id',
			'c.reference',
			'c.status',
			'c.route',
			'c.intake_at as intakeAt',
			'c.urgent',
			'c.safeguarding',
			eb.selectFrom('dispute_deadline as d').select((inner) => inner.fn.min('d.due_on').as('due')).whereRef('d.case_id', '=', 'c.id').as('nextDeadline'),
			eb
				.selectFrom('dispute_flag as f')
				.select(sql<CaseFlag[]>`coalesce(jsonb_agg(jsonb_build_object('level', f.level, 'what', f.what, 'due', f.due_on) order by f.due_on, f.key), '[]'::jsonb)`.as('flags'))
				.whereRef('f.case_id', '=', 'c.id')
				.as('flags')
		])
		.where('c.district_id', '=', district.id)
		// Flagged only: the page's case ids are read from the district's flags (their own index), not found by walking every case.
		.$if(filter.flaggedOnly === true, (q) =>
			q.where(idAmong('c.id', [idWindow(db.selectFrom('dispute_flag as f').select('f.case_id as id').distinct().where('f.district_id', '=', district.id), 'f.case_id', { direction: 'desc', size: CASES_PAGE_SIZE }, cursor)]))
		);
	const page = await keysetPage(query, { order: [sql`c.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: CASES_PAGE_SIZE });
	return { district, page: { ...page, items: page.items.map((row) => ({ ...row, flags: row.flags ?? [] })) } };
}

/** A flagged case as the district workspace lists it: its reference and what is due, nothing about the child or the family. */
export interface WorkspaceFlaggedCase {
	id: number;
	reference: string;
	/** The soonest-due flag of the case. */
	level: FlagLevel;
	what: string;
	due: string;
	/** How many targets and deadlines of the case are flagged. */
	flagCount: number;
}

/** Flagged cases listed in the district workspace; the rest are on the case list's filter. */
export const WORKSPACE_FLAGS_SHOWN = 10;

/**
 * The district workspace's panel of cases the daily job flagged, soonest due first, for the
 * district's SENDIASS officers only. Anyone else (and any locality) gets null, without the count
 * being read, so neither the panel nor how many cases there are shows to them.
 */
export async function workspaceFlaggedCases(
	db: Database,
	actor: Actor | null,
	cluster: { id: number; name: string; kind: ClusterKind }
): Promise<{ cases: WorkspaceFlaggedCase[]; total: number } | null> {
	if (cluster.kind !== 'district') return null;
	if (!can(actor, { action: 'disputes.district.run', district: { id: cluster.id, name: cluster.name } }).allowed) return null;
	// Read from the district's flags (their own index): each flagged case's soonest-due flag, and how many it has.
	const [cases, total] = await Promise.all([
		db
			.selectFrom((eb) =>
				eb
					.selectFrom('dispute_flag as f')
					.distinctOn('f.case_id')
					.select(['f.case_id', 'f.level', 'f.what', 'f.due_on', sql<number>`count(*) over (partition by f.case_id)::int`.as('flagCount')])
					.where('f.district_id', '=', cluster.id)
					.orderBy('f.case_id')
					.orderBy('f.due_on')
					.orderBy('f.key')
					.as('first')
			)
			.innerJoin('dispute_case as c', 'c.id', 'first.case_id')
			.select(['c.id', 'c.reference', 'first.level', 'first.what', 'first.due_on as due', 'first.flagCount'])
			.orderBy('first.due_on')
			.orderBy('c.id')
			.limit(WORKSPACE_FLAGS_SHOWN)
			.execute(),
		flaggedCaseCount(db, cluster.id)
	]);
	return { cases, total };
}

/** How many of the district's open cases the daily job has flagged (the case list's filter, the workspace, the officer's home page): from its flags' index. */
export async function flaggedCaseCount(db: Database, districtId: number): Promise<number> {
	const { n } = await db
		.selectFrom('dispute_flag')
		.select(sql<number>`count(distinct case_id)::int`.as('n'))
		.where('district_id', '=', districtId)
		.executeTakeFirstOrThrow();
	return n;
}
