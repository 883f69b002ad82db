import { sql, type Kysely } from 'kysely';
import type { DB } from '../db';
import type { Actor } from '../auth/actor';
import { can, assertCan, isCountyStaff } from '../policy';
import { idAmong, idWindow, keysetPage, newestFirst, timeKey, NEWEST_FIRST_KEY, type Cursor, type Keyset, type KeyKind } from '../paging';
import { ukToday } from '$lib/dates';
import type { Answer, PointSource, PointStatus } from '$lib/pcf/model';
import { answerOverdue, changeOverdue, pointStatus, publicationWaitsFor } from './rules';
import { loadGroup, loadProposal, subjectColumn, type ProposalKey } from './proposals';
import { repOf } from './policy';
import { themesToCsv } from './rules';

type Reader = Kysely<DB>;
const dateOf = (at: Date) => at.toISOString().slice(0, 10);

// What the PCF pages read. Signed-in pages ask the policy first; the public pages read only points
// that passed both checks and are not withdrawn, and only the columns a family may see: the
// point, its themes, the answer and its journey, the district. Never a name.

/** The groups this person may open: every district for officers, their own for a representative. */
export async function groupsFor(db: Reader, actor: Actor) {
	assertCan(actor, { action: 'pcf.groups.view' });
	let query = db
		.selectFrom('cluster as d')
		.leftJoin('pcf_group as g', 'g.district_id', 'd.id')
		.leftJoin('app_user as lead', 'lead.id', 'g.lead_user_id')
		.select(['d.id', 'd.name', 'lead.name as lead_name'])
		.select((eb) => [
			eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.district_id', '=', 'd.id').where('p.answer_published_at', 'is', null).as('waiting')
		])
		.where('d.kind', '=', 'district')
		.where('d.status', '=', 'active')
		.orderBy('d.name');
	if (!isCountyStaff(actor)) query = query.where('d.id', 'in', actor.clusterRoles.filter((r) => r.role === 'pcf_rep').map((r) => r.clusterId));
	return query.execute();
}

/** A group: its lead and representatives, its watch list, the submitted bids it may choose from, the district's rounds and its submitted inclusion-base applications (each paged). */
export const GROUP_BIDS_KEY: KeyKind[] = ['int'];
export const GROUP_ROUNDS_KEY: KeyKind[] = ['int'];
export const GROUP_APPLICATIONS_KEY: KeyKind[] = ['int'];
export const PUBLIC_POINTS_KEY = NEWEST_FIRST_KEY;

export async function groupPage(db: Reader, actor: Actor, districtId: number, cursors: { bids: Cursor | null; rounds: Cursor | null; applications: Cursor | null }) {
	const group = await loadGroup(db, districtId);
	assertCan(actor, { action: 'pcf.group.view', group });
	const reps = await db
		.selectFrom('cluster_role as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['u.id', 'u.name'])
		.where('r.cluster_id', '=', districtId)
		.where('r.role', '=', 'pcf_rep')
		.where('u.is_active', '=', true)
		.orderBy('u.name')
		.limit(100)
		.execute();
	// The district itself and its localities: each one's bids and rounds are read one page at a time on
	// its own index (idWindow), so a page never walks every bid or round in the country for a district's.
	const clusterIds = (
		await db
			.selectFrom('cluster')
			.select('id')
			.where((eb) => eb.or([eb('parent_id', '=', districtId), eb('id', '=', districtId)]))
			.execute()
	).map((c) => c.id);
	// Submitted bids of the district's localities (and the district itself), newest first.
	const byBid: Keyset<{ id: number }> = { order: [sql`b.id`], direction: 'desc', keyOf: (row) => [row.id], cursor: cursors.bids, size: 20 };
	const bidsQuery = (from: Cursor | null) =>
		db
			.selectFrom('bid as b')
			.innerJoin('cluster as c', 'c.id', 'b.cluster_id')
			.leftJoin('pcf_watch as w', (join) => join.onRef('w.bid_id', '=', 'b.id').on('w.district_id', '=', districtId))
			.select(['b.id', 'b.title', 'b.status', 'c.name as cluster_name'])
			.select((eb) => [
				eb('w.id', 'is not', null).as('watched'),
				eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.bid_id', '=', 'b.id').where('p.district_id', '=', districtId).as('points')
			])
			.where(
				idAmong(
					'b.id',
					clusterIds.map((clusterId) =>
						idWindow(db.selectFrom('bid as own').select('own.id').where('own.cluster_id', '=', clusterId).where('own.submission_no', '>', 0), 'own.id', byBid, from)
					)
				)
			);
	const bids = await keysetPage(bidsQuery, byBid);
	// The district's funding rounds, newest first, for a themed response across a whole round.
	const byRound: Keyset<{ id: number }> = { order: [sql`r.id`], direction: 'desc', keyOf: (row) => [row.id], cursor: cursors.rounds, size: 20 };
	const roundsQuery = (from: Cursor | null) =>
		db
			.selectFrom('funding_round as r')
			.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
			.select(['r.id', 'r.name', 'r.status', 'r.closes_at', 'c.name as cluster_name'])
			.select((eb) => [
				eb.selectFrom('bid as b').select(eb.fn.countAll<number>().as('n')).whereRef('b.round_id', '=', 'r.id').where('b.submission_no', '>', 0).as('bids'),
				eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.round_id', '=', 'r.id').where('p.district_id', '=', districtId).as('points')
			])
			.where(idAmong('r.id', clusterIds.map((clusterId) => idWindow(db.selectFrom('funding_round as own').select('own.id').where('own.cluster_id', '=', clusterId), 'own.id', byRound, from))));
	const rounds = await keysetPage(roundsQuery, byRound);
	// The district's inclusion-base applications of every line (scheme, grant, rollout) once submitted
	// (never a draft, as the capital application policy shows them to the group), newest first.
	const byApplication: Keyset<{ id: number }> = { order: [sql`a.id`], direction: 'desc', keyOf: (row) => [row.id], cursor: cursors.applications, size: 20 };
	const applications = await keysetPage(
		(from: Cursor | null) =>
			db
				.selectFrom('capital_application as a')
				.innerJoin('capital_line as l', 'l.id', 'a.line_id')
				.innerJoin('setting as s', 's.id', 'a.setting_id')
				.leftJoin('pcf_watch as w', (join) => join.onRef('w.capital_application_id', '=', 'a.id').on('w.district_id', '=', districtId))
				.select(['a.id', 'a.reference', 'a.title', 'a.stage', 'l.name as line_name', 's.name as setting_name'])
				.select((eb) => [
					eb('w.id', 'is not', null).as('watched'),
					eb.selectFrom('pcf_point as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.capital_application_id', '=', 'a.id').where('p.district_id', '=', districtId).as('points')
				])
				// One window on the district's own index, as the capital list reads a district's applications.
				.where(idAmong('a.id', [idWindow(db.selectFrom('capital_application as own').select('own.id').where('own.district_id', '=', districtId).where('own.stage', '!=', 'draft'), 'own.id', byApplication, from)])),
		byApplication
	);
	return {
		group,
		reps,
		bids,
		rounds,
		applications,
		can: { manage: can(actor, { action: 'pcf.group.manage', group }).allowed, watch: can(actor, { action: 'pcf.group.watch', group }).allowed, consultationRule: can(actor, { action: 'pcf.consultation.settings', group }).allowed }
	};
}

/** Active themes, by name, for pickers and the list page. */
export function themeList(db: Reader, includeRetired = false) {
	let query = db.selectFrom('pcf_theme').select(['id', 'name', 'description', 'retired']).orderBy(sql`lower(name)`).limit(500);
	if (!includeRetired) query = query.where('retired', '=', false);
	return query.execute();
}

/** The list's version, carried by the page that adds a theme. */
export async function themeListVersion(db: Reader): Promise<number> {
	return (await db.selectFrom('pcf_theme_list').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version;
}

export async function themesCsv(db: Reader, actor: Actor): Promise<string> {
	assertCan(actor, { action: 'pcf.themes.manage' });
	return themesToCsv(await themeList(db, true));
}

export async function themesOf(db: Reader, pointIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
	const byPoint = new Map<number, { id: number; name: string }[]>();
	if (pointIds.length === 0) return byPoint;
	const rows = await db
		.selectFrom('pcf_point_theme as pt')
		.innerJoin('pcf_theme as t', 't.id', 'pt.theme_id')
		.select(['pt.point_id', 't.id', 't.name'])
		.where('pt.point_id', 'in', pointIds)
		.orderBy('t.name')
		.execute();
	for (const row of rows) byPoint.set(row.point_id, [...(byPoint.get(row.point_id) ?? []), { id: row.id, name: row.name }]);
	return byPoint;
}

/** The advice page of a bid: the group's position, every point with its answer, delivery and checks, and what this person may do. */
export async function adviceForBid(db: Reader, actor: Actor, bidId: number) {
	return adviceFor(db, actor, bidId);
}

/** The same for any proposal: a bid or a consultation. */
export async function adviceFor(db: Reader, actor: Actor, key: ProposalKey) {
	const proposal = await loadProposal(db, key);
	const column = subjectColumn(proposal);
	assertCan(actor, { action: 'pcf.advice.view', proposal });
	const group = await loadGroup(db, proposal.districtId);
	const position = await db
		.selectFrom('pcf_position as p')
		.innerJoin('app_user as d', 'd.id', 'p.drafted_by')
		.leftJoin('app_user as a', 'a.id', 'p.approved_by')
		.select(['p.id', 'p.stance', 'p.summary', 'p.version', 'p.drafted_by', 'd.name as drafted_by_name', 'a.name as approved_by_name', 'p.approved_at', 'p.agreed_on', 'p.agreed_where'])
		.where('p.district_id', '=', proposal.districtId)
		.where(`p.${column}`, '=', proposal.id)
		.executeTakeFirst();
	const rows = await db
		.selectFrom('pcf_point as p')
		.leftJoin('app_user as author', 'author.id', 'p.author_id')
		.leftJoin('app_user as answerer', 'answerer.id', 'p.answered_by')
		.select([
			'p.id', 'p.source', 'p.body', 'p.heard_on', 'p.raised_count', 'p.author_id', 'author.name as author_name', 'p.created_at', 'p.version',
			'p.answer', 'p.answer_text', 'p.change_by', 'p.answered_by', 'answerer.name as answered_by_name', 'p.answer_published_at',
			'p.delivered_on', 'p.delivery_evidence', 'p.officer_checked_at', 'p.lead_checked_at', 'p.public_at', 'p.withdrawn_at'
		])
		.where(`p.${column}`, '=', proposal.id)
		.where('p.district_id', '=', proposal.districtId)
		.orderBy('p.id')
		.limit(200)
		.execute();
	const themes = await themesOf(db, rows.map((r) => r.id));
	const today = ukToday();
	const isOwnerOrOfficer = can(actor, { action: 'pcf.point.answer', proposal, point: { authorId: null, answeredBy: null } }).allowed;
	const points = rows
		// A draft answer is the answerer's side's own until it is published.
		.map((row) => {
			const state = { raisedOn: dateOf(row.created_at), answer: row.answer, answerPublished: row.answer_published_at !== null, changeBy: row.change_by, deliveredOn: row.delivered_on };
			const ref = { authorId: row.author_id, answeredBy: row.answered_by };
			const showAnswer = row.answer_published_at !== null || isOwnerOrOfficer;
			return {
				...row,
				answer: showAnswer ? row.answer : null,
				answer_text: showAnswer ? row.answer_text : null,
				change_by: showAnswer ? row.change_by : null,
				answered_by_name: showAnswer ? row.answered_by_name : null,
				themes: themes.get(row.id) ?? [],
				status: pointStatus(state),
				overdue: answerOverdue(state, today, group.answerWithinDays),
				changeOverdue: changeOverdue(state, today),
				waitsFor: row.public_at ? [] : publicationWaitsFor({ answerPublished: row.answer_published_at !== null, officerChecked: row.officer_checked_at !== null, leadChecked: row.lead_checked_at !== null }),
				can: {
					answer: !row.answer_published_at && (position?.approved_at || row.source !== 'forum') ? can(actor, { action: 'pcf.point.answer', proposal, point: ref }).allowed : false,
					deliver: row.answer === 'will_change' && row.answer_published_at !== null && !row.delivered_on && can(actor, { action: 'pcf.point.answer', proposal, point: ref }).allowed,
					checkOfficer: row.answer_published_at !== null && !row.officer_checked_at && can(actor, { action: 'pcf.point.check', proposal, group, point: ref, as: 'officer' }).allowed,
					checkLead: row.answer_published_at !== null && !row.lead_checked_at && can(actor, { action: 'pcf.point.check', proposal, group, point: ref, as: 'lead' }).allowed,
					withdraw: row.public_at !== null && !row.withdrawn_at && can(actor, { action: 'pcf.point.withdraw', proposal, group }).allowed
				}
			};
		});
	return {
		proposal,
		group: { districtName: group.districtName, answerWithinDays: group.answerWithinDays, isLead: group.leadUserId === actor.id && repOf(actor, group.districtId) },
		position: position ?? null,
		points,
		draftedAnswers: points.filter((p) => p.answer && !p.answer_published_at).length,
		can: {
			write: can(actor, { action: 'pcf.position.write', proposal }).allowed,
			approve: position && !position.approved_at ? can(actor, { action: 'pcf.position.approve', proposal, group, draftedBy: position.drafted_by }).allowed : false,
			feedback: can(actor, { action: 'pcf.feedback.add', proposal }).allowed,
			publishAnswers: isOwnerOrOfficer
		}
	};
}

// --- The public "you said, we did" pages: no sign-in, published points only, never a name ---

export interface PublicFilter {
	districtId: number | null;
	themeId: number | null;
	clusterId: number | null;
	status: PointStatus | null;
}

export interface PublicPoint {
	id: number;
	district: string;
	cluster: string;
	proposal: string;
	source: PointSource;
	body: string;
	raisedCount: number | null;
	heardOn: string | null;
	answer: Answer | null;
	answerText: string | null;
	changeBy: string | null;
	deliveredOn: string | null;
	evidence: string | null;
	publicAt: Date;
	status: PointStatus;
	themes: { id: number; name: string }[];
}

/** Published points, newest first, paged; the statuses filter on the same journey the rules give. */
export async function publicPoints(db: Reader, filter: PublicFilter, cursor: Cursor | null, size = 20) {
		let query = db
			.selectFrom('pcf_point as p')
			.innerJoin('cluster as d', 'd.id', 'p.district_id')
			.leftJoin('bid as b', 'b.id', 'p.bid_id')
			.leftJoin('pcf_consultation as k', 'k.id', 'p.consultation_id')
			.leftJoin('funding_round as r', 'r.id', 'p.round_id')
			.leftJoin('capital_application as a', 'a.id', 'p.capital_application_id')
			// An application's place is the locality of the setting it is for.
			.leftJoin('setting as s', 's.id', 'a.setting_id')
			.innerJoin('cluster as c', (join) => join.on(sql<boolean>`c.id = coalesce(b.cluster_id, k.cluster_id, r.cluster_id, s.cluster_id)`))
			.select(sql<string>`coalesce(b.title, k.title, 'Every bid in ' || r.name, a.title)`.as('proposal'))
			.select([
				'p.id', 'd.name as district', 'c.name as cluster', 'p.source', 'p.body', 'p.raised_count', 'p.heard_on',
				'p.answer', 'p.answer_text', 'p.change_by', 'p.delivered_on', 'p.delivery_evidence', 'p.public_at', 'p.answer_published_at', 'p.created_at',
				timeKey('p.public_at')
			])
			.where('p.public_at', 'is not', null)
			.where('p.withdrawn_at', 'is', null);
		if (filter.districtId !== null) query = query.where('p.district_id', '=', filter.districtId);
		if (filter.clusterId !== null) query = query.where('c.id', '=', filter.clusterId);
		if (filter.themeId !== null) {
			const themeId = filter.themeId;
			query = query.where((eb) => eb.exists(eb.selectFrom('pcf_point_theme as pt').select('pt.point_id').whereRef('pt.point_id', '=', 'p.id').where('pt.theme_id', '=', themeId)));
		}
		if (filter.status === 'answered') query = query.where('p.answer', 'in', ['partly', 'not_changed']);
		if (filter.status === 'changing') query = query.where('p.answer', '=', 'will_change').where('p.delivered_on', 'is', null);
		if (filter.status === 'delivered') query = query.where('p.delivered_on', 'is not', null);
		// Published points always have a published answer, so none is "waiting".
		if (filter.status === 'waiting') query = query.where(sql<boolean>`false`);
	// Newest published first: the keys are the time it was published, then the id.
	const page = await keysetPage(query, { ...newestFirst('p', cursor, size), order: [sql.ref('p.public_at'), sql.ref('p.id')] });
	const themes = await themesOf(db, page.items.map((r) => r.id));
	const points: PublicPoint[] = page.items.map((row) => ({
		id: row.id,
		district: row.district,
		cluster: row.cluster,
		proposal: row.proposal,
		source: row.source,
		body: row.body,
		raisedCount: row.raised_count,
		heardOn: row.heard_on,
		answer: row.answer,
		answerText: row.answer_text,
		changeBy: row.change_by,
		deliveredOn: row.delivered_on,
		evidence: row.delivery_evidence,
		publicAt: row.public_at!,
		status: pointStatus({ raisedOn: dateOf(row.created_at), answer: row.answer, answerPublished: row.answer_published_at !== null, changeBy: row.change_by, deliveredOn: row.delivered_on }),
		themes: themes.get(row.id) ?? []
	}));
	return { points, previous: page.previous, next: page.next };
}

/**
 * What the public filters offer besides the district (a search, `publicDistrictPicker`: England
 * has hundreds): the chosen district's localities (a handful; none until a district is chosen, so
 * the list never holds the whole country's) with the chosen locality kept, and the themes in use.
 */
export async function publicChoices(db: Reader, chosen: { districtId: number | null; clusterId: number | null }) {
	const localities = [chosen.districtId, chosen.clusterId].some((id) => id !== null)
		? db
				.selectFrom('cluster')
				.select(['id', 'name'])
				.where('kind', '=', 'locality')
				.where('status', '=', 'active')
				.where((eb) => eb.or([eb('parent_id', '=', chosen.districtId ?? 0), eb('id', '=', chosen.clusterId ?? 0)]))
				.orderBy('name')
				.execute()
		: [];
	const [clusters, themes] = await Promise.all([localities, themeList(db)]);
	return { clusters, themes };
}

/** A stamp that changes whenever what the public pages show changes (published, delivered, withdrawn): public pages poll it. */
export async function publicStamp(db: Reader, districtId: number | null): Promise<string> {
	let query = db.selectFrom('pcf_point').select((eb) => eb.fn.max('public_changed_at').as('at')).where('public_changed_at', 'is not', null);
	if (districtId !== null) query = query.where('district_id', '=', districtId);
	const row = await query.executeTakeFirst();
	return row?.at ? new Date(row.at).toISOString() : 'none';
}
