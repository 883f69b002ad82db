import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db';
import { auditHistory } from '../audit';
import { historySummary } from '../audit-labels';
import { notFound } from '../errors';
import { textMatches } from '../search';
import { keysetStep, pageOf, pastCursor, readPage, type KeysetStep, type Page, type PageCursor } from '../keyset';
import { hashToken } from '../auth/session';
import { CLUSTER_ROLES, COUNTY_ROLES, SETTING_ROLES, isOneOf, type CountyRole, type GrantKind, type RoleName } from '$lib/roles';
import { peopleFilterSchema, type PeopleFilter } from '$lib/schemas/people';
import { describeGrant, INVITATION_PROBLEMS, invitationProblem, type InvitationProblem } from './rules';

// Read side of people administration. Callers (router, page loads) ask the policy first:
// these queries return personal details and must only run for council officers, except
// invitationByToken, which answers only to whoever holds the secret link.

/** People per page of the people list. */
export const PEOPLE_PAGE_SIZE = 50;
const HISTORY_LIMIT = 50;

export interface PersonListRow {
	id: number;
	name: string;
	email: string;
	countyRole: CountyRole | null;
	isActive: boolean;
	/** False until they have accepted an invitation and chosen a password. */
	hasPassword: boolean;
	roles: string[];
}

/**
 * A search matching more people than this is broad ("staff" on England's set matches nearly all):
 * its pages walk the people in name order (the `app_user_name_walk` index alone) and keep those who
 * match, looking through at most SEARCH_WALK people per page. A narrower search is found through the
 * trigram indexes and its matches (at most this many) sorted. Either way a page costs the same on
 * any size of portal, however deep it is.
 */
export const BROAD_SEARCH_MATCHES = 1000;
export const SEARCH_WALK = 5_000;

type PeopleFilters = ReturnType<typeof peopleFilterSchema.parse>;

/**
 * One page of people, by name (then id, so two people of one name keep their places). Searching
 * in a name or email uses the trigram or prefix indexes (`search.ts`); the order walks (lower(name), id).
 */
export async function listPeople(db: Database, filters: PeopleFilter = {}, cursor: PageCursor = null): Promise<PeoplePage> {
	const parsed = peopleFilterSchema.parse(filters);
	const broad = parsed.search ? (await searchMatchesQuery(db, parsed.search).execute()).length > BROAD_SEARCH_MATCHES : false;
	const page = broad
		? await broadSearchPage(db, parsed, cursor)
		: await readPage(cursor, 'asc', PEOPLE_PAGE_SIZE, (step, limit) => peopleListQuery(db, parsed, step, limit).execute());
	return { people: await withRoles(db, page.rows), previous: page.previous, next: page.next };
}

export interface PeoplePage {
	people: PersonListRow[];
	/** The ids the previous and next links carry (`?before=` and `?after=`), null when there is no such page. */
	previous: number | null;
	next: number | null;
}

/** Up to one more than BROAD_SEARCH_MATCHES of the people a search matches, in no order: enough to tell a broad search. */
export function searchMatchesQuery(db: Database, search: string) {
	return db
		.selectFrom('app_user as m')
		.select('m.id')
		.where((eb) => eb.or([textMatches('m.name', search), textMatches('m.email', search)]))
		.limit(BROAD_SEARCH_MATCHES + 1);
}

/** The people list's query, exported for its query-plan test. A search's matches are found first (at most BROAD_SEARCH_MATCHES), then sorted. */
export function peopleListQuery(db: Database, filters: PeopleFilters, step: KeysetStep, limit: number) {
	let query = db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.name', 'u.email', 'u.county_role', 'u.is_active', sql<boolean>`u.password_hash is not null`.as('has_password')])
		.orderBy(sql`lower(u.name)`, step.order)
		.orderBy('u.id', step.order)
		.limit(limit);
	const after = pastCursor(step, sql`(lower(u.name), u.id)`, (id) => sql`select lower(c.name), c.id from app_user c where c.id = ${id}`);
	if (after) query = query.where(after);
	// The matches first: a subquery with a limit is planned on its own (through the trigram indexes),
	// never folded into a walk of every name that tests each person against the search.
	const search = filters.search;
	if (search) query = query.where('u.id', 'in', () => searchMatchesQuery(db, search));
	for (const condition of filterConditions(filters)) query = query.where(condition);
	return query;
}

/**
 * A broad search's page: the next SEARCH_WALK people in name order after (or before) the cursor,
 * read from the index alone, and of those the first page-full who match. When those people hold
 * fewer than a page of matches, the link goes on from the last person looked at, so the next page
 * carries on the search there. Exported for its query-plan test.
 */
export function broadSearchQuery(db: Database, filters: PeopleFilters, step: KeysetStep, limit: number) {
	const walk = nameWalk(db, step);
	const search = filters.search ?? '';
	const query = db
		.selectFrom(walk.as('u'))
		// Only a page of matches reach this join: the walk itself never reads a person's row.
		.innerJoin('app_user as p', 'p.id', 'u.id')
		.select([
			'u.id',
			'u.name',
			'u.email',
			'u.county_role',
			'u.is_active',
			sql<boolean>`p.password_hash is not null`.as('has_password')
		])
		.where((eb) => eb.or([textMatches('u.name', search), textMatches('u.email', search)]))
		// By the walk's own key, so the walk's order serves it and the page stops at a page-full.
		.orderBy('u.k', step.order)
		.orderBy('u.id', step.order)
		.limit(limit);
	return filterConditions(filters).reduce((q, condition) => q.where(condition), query);
}

/** The last person a broad search's walk looked at (in the walk's direction), when it looked at SEARCH_WALK people. */
export function walkEndQuery(db: Database, step: KeysetStep) {
	return db
		.selectFrom(nameWalk(db, step).as('x'))
		.select(['x.id', sql<number>`count(*) over ()`.as('walked')])
		.orderBy('x.k', step.order === 'asc' ? 'desc' : 'asc')
		.orderBy('x.id', step.order === 'asc' ? 'desc' : 'asc')
		.limit(1);
}

/**
 * The next SEARCH_WALK people in name order from the cursor (in the step's direction), with what a
 * search and the filters test, all read from `app_user_name_walk` alone.
 */
function nameWalk(db: Database, step: KeysetStep) {
	const walked = db
		.selectFrom('app_user as w')
		.select(['w.id', 'w.name', 'w.email', 'w.is_active', 'w.county_role', sql<string>`lower(w.name)`.as('k')])
		.orderBy(sql`lower(w.name)`, step.order)
		.orderBy('w.id', step.order)
		.limit(SEARCH_WALK);
	const after = pastCursor(step, sql`(lower(w.name), w.id)`, (id) => sql`select lower(c.name), c.id from app_user c where c.id = ${id}`);
	return after ? walked.where(after) : walked;
}

async function broadSearchPage(db: Database, filters: PeopleFilters, cursor: PageCursor): Promise<Page<PersonRow>> {
	const step = keysetStep(cursor, 'asc');
	const fetched: PersonRow[] = await broadSearchQuery(db, filters, step, PEOPLE_PAGE_SIZE + 1).execute();
	if (fetched.length > PEOPLE_PAGE_SIZE) return pageOf(fetched, step, PEOPLE_PAGE_SIZE);
	// Fewer than a page matched among the people looked at: did the walk stop short of the list's end?
	const end = await walkEndQuery(db, step).executeTakeFirst();
	const stoppedShort = end !== undefined && Number(end.walked) >= SEARCH_WALK;
	if (!stoppedShort) {
		// The start of the list came before a full page: show the first page, as readPage does.
		if (step.backward) return broadSearchPage(db, filters, null);
		return pageOf(fetched, step, PEOPLE_PAGE_SIZE);
	}
	const rows = step.backward ? [...fetched].reverse() : fetched;
	return step.backward
		? { rows, previous: end.id, next: rows.at(-1)?.id ?? step.cursorId }
		: { rows, previous: step.cursorId !== null ? (rows[0]?.id ?? step.cursorId) : null, next: end.id };
}

/** The status and role filters, on the people list's rows (`u`, with id, is_active and county_role). */
function filterConditions({ role, status }: PeopleFilters): RawBuilder<boolean>[] {
	const conditions: RawBuilder<boolean>[] = [];
	if (status === 'active') conditions.push(sql<boolean>`u.is_active`);
	if (status === 'deactivated') conditions.push(sql<boolean>`not u.is_active`);
	if (isOneOf(COUNTY_ROLES, role)) conditions.push(sql<boolean>`u.county_role = ${role}`);
	if (isOneOf(SETTING_ROLES, role)) conditions.push(sql<boolean>`exists (select 1 from setting_membership m where m.user_id = u.id and m.role = ${role})`);
	if (isOneOf(CLUSTER_ROLES, role)) conditions.push(sql<boolean>`exists (select 1 from cluster_role r where r.user_id = u.id and r.role = ${role})`);
	if (role === 'none') {
		conditions.push(
			sql<boolean>`u.county_role is null
				and not exists (select 1 from setting_membership m where m.user_id = u.id)
				and not exists (select 1 from cluster_role r where r.user_id = u.id)`
		);
	}
	return conditions;
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof peopleListQuery>['execute']>>[number];

/** Each person's roles in words, read for the whole page at once. */
async function withRoles(db: Database, users: PersonRow[]): Promise<PersonListRow[]> {
	const ids = users.map((u) => u.id);
	const roles = new Map<number, string[]>(ids.map((id) => [id, []]));
	if (ids.length > 0) {
		const [settingRoles, clusterRoles] = await Promise.all([
			db
				.selectFrom('setting_membership as m')
				.innerJoin('setting as s', 's.id', 'm.setting_id')
				.select(['m.user_id', 'm.role', 's.name'])
				.where('m.user_id', 'in', ids)
				.orderBy('s.name')
				.execute(),
			db
				.selectFrom('cluster_role as r')
				.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
				.select(['r.user_id', 'r.role', 'c.name', 'c.kind'])
				.where('r.user_id', 'in', ids)
				.orderBy('c.name')
				.execute()
		]);
		for (const row of settingRoles) {
			roles.get(row.user_id)?.push(describeGrant({ kind: 'setting', role: row.role }, { settingName: row.name }));
		}
		for (const row of clusterRoles) {
			roles
				.get(row.user_id)
				?.push(describeGrant({ kind: 'cluster', role: row.role }, { clusterName: row.name, clusterKind: row.kind }));
		}
	}
	return users.map((u) => {
		const countyRole = u.county_role;
		return {
			id: u.id,
			name: u.name,
			email: u.email,
			countyRole,
			isActive: u.is_active,
			hasPassword: u.has_password,
			roles: [...(countyRole ? [describeGrant({ kind: 'county', role: countyRole }, {})] : []), ...(roles.get(u.id) ?? [])]
		};
	});
}

export const INVITATIONS_PAGE_SIZE = 25;

/** Invitations still waiting for the invitee, newest first (for the people page), a page at a time. */
export async function pendingInvitations(db: Database, cursor: PageCursor = null) {
	const page = await readPage(cursor, 'desc', INVITATIONS_PAGE_SIZE, (step, limit) => pendingInvitationsQuery(db, step, limit).execute());
	return { ...page, rows: page.rows.map(invitationRow) };
}

/** The waiting invitations' query (the index `invitation_waiting` serves it), exported for its query-plan test. */
export function pendingInvitationsQuery(db: Database, step: KeysetStep, limit: number) {
	let query = db
		.selectFrom('invitation as i')
		.leftJoin('setting as s', 's.id', 'i.setting_id')
		.leftJoin('cluster as c', 'c.id', 'i.cluster_id')
		.innerJoin('app_user as by', 'by.id', 'i.invited_by')
		.select(['i.id', 'i.email', 'i.name', 'i.grant_kind', 'i.role', 'i.created_at', 'i.expires_at', 's.name as setting_name', 'c.name as cluster_name', 'c.kind as cluster_kind', 'by.name as invited_by'])
		.where('i.used_at', 'is', null)
		.where('i.revoked_at', 'is', null)
		.where('i.expires_at', '>', new Date())
		.orderBy('i.created_at', step.order)
		.orderBy('i.id', step.order)
		.limit(limit);
	const past = pastCursor(step, sql`(i.created_at, i.id)`, (id) => sql`select k.created_at, k.id from invitation k where k.id = ${id}`);
	if (past) query = query.where(past);
	return query;
}

function invitationRow(row: Awaited<ReturnType<ReturnType<typeof pendingInvitationsQuery>['execute']>>[number]) {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: describeInvitationGrant(row),
		invitedBy: row.invited_by,
		createdAt: row.created_at.toISOString(),
		expiresAt: row.expires_at.toISOString()
	};
}

function describeInvitationGrant(row: {
	grant_kind: GrantKind;
	role: RoleName;
	setting_name: string | null;
	cluster_name: string | null;
	cluster_kind: string | null;
}): string {
	return describeGrant(
		{ kind: row.grant_kind, role: row.role },
		{ settingName: row.setting_name, clusterName: row.cluster_name, clusterKind: row.cluster_kind }
	);
}

export async function personDetail(db: Database, userId: number) {
	const person = await db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'county_role', 'is_active', 'created_at', 'deactivated_at', 'version', sql<boolean>`password_hash is not null`.as('has_password')])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!person) throw notFound('That person');

	const [settingRoles, clusterRoles, invitations] = await Promise.all([
		db
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.select(['m.id', 'm.role', 'm.created_at', 's.id as setting_id', 's.name as setting_name', 'l.id as cluster_id', 'l.name as cluster_name'])
			.where('m.user_id', '=', userId)
			.orderBy('s.name')
			.execute(),
		db
			.selectFrom('cluster_role as r')
			.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
			.select(['r.id', 'r.role', 'r.created_at', 'c.id as cluster_id', 'c.name as cluster_name', 'c.kind as cluster_kind', 'c.status as cluster_status'])
			.where('r.user_id', '=', userId)
			.orderBy('c.name')
			.execute(),
		db
			.selectFrom('invitation as i')
			.leftJoin('setting as s', 's.id', 'i.setting_id')
			.leftJoin('cluster as c', 'c.id', 'i.cluster_id')
			.select(['i.id', 'i.grant_kind', 'i.role', 'i.created_at', 'i.expires_at', 'i.used_at', 'i.revoked_at', 's.name as setting_name', 'c.name as cluster_name', 'c.kind as cluster_kind'])
			.where((eb) => eb.or([eb('i.user_id', '=', userId), eb(eb.fn('lower', ['i.email']), '=', person.email.toLowerCase())]))
			.orderBy('i.created_at', 'desc')
			.orderBy('i.id', 'desc')
			.limit(20)
			.execute()
	]);

	const invitationIds = invitations.map((i) => i.id);
	const history = await auditHistory(
		db,
		{ subjects: [{ type: 'person', ids: [userId] }, { type: 'invitation', ids: invitationIds }] },
		HISTORY_LIMIT
	);

	const now = new Date();
	return {
		person: {
			id: person.id,
			name: person.name,
			email: person.email,
			countyRole: person.county_role,
			isActive: person.is_active,
			hasPassword: person.has_password,
			createdAt: person.created_at.toISOString(),
			deactivatedAt: person.deactivated_at?.toISOString() ?? null,
			version: person.version
		},
		settingRoles: settingRoles.map((r) => ({
			membershipId: r.id,
			role: r.role,
			settingId: r.setting_id,
			settingName: r.setting_name,
			clusterId: r.cluster_id,
			clusterName: r.cluster_name,
			since: r.created_at.toISOString()
		})),
		clusterRoles: clusterRoles.map((r) => ({
			membershipId: r.id,
			role: r.role,
			clusterId: r.cluster_id,
			clusterName: r.cluster_name,
			clusterKind: r.cluster_kind,
			clusterRetired: r.cluster_status !== 'active',
			since: r.created_at.toISOString()
		})),
		invitations: invitations.map((i) => ({
			id: i.id,
			role: describeInvitationGrant(i),
			createdAt: i.created_at.toISOString(),
			expiresAt: i.expires_at.toISOString(),
			state: invitationProblem(i, now) ?? 'waiting'
		})),
		history: history.map((h) => ({
			id: h.id,
			action: h.action,
			summary: historySummary(h),
			by: h.actorName ?? 'The portal',
			reason: h.reason,
			at: h.at.toISOString()
		}))
	};
}
export type PersonDetail = Awaited<ReturnType<typeof personDetail>>;

export type InvitationLookup =
	| {
			ok: true;
			invitation: { id: number; email: string; name: string; role: string; invitedBy: string; expiresAt: string };
	  }
	| { ok: false; problem: InvitationProblem; title: string; message: string };

/** What the accept page shows: who is invited as what, or why the link no longer works. */
export async function invitationByToken(db: Database, token: string): Promise<InvitationLookup> {
	const refuse = (problem: InvitationProblem): InvitationLookup => ({ ok: false, problem, ...INVITATION_PROBLEMS[problem] });
	if (!/^[a-z2-7]{32}$/.test(token)) return refuse('unknown');
	const row = await db
		.selectFrom('invitation as i')
		.leftJoin('setting as s', 's.id', 'i.setting_id')
		.leftJoin('cluster as c', 'c.id', 'i.cluster_id')
		.innerJoin('app_user as by', 'by.id', 'i.invited_by')
		.select(['i.id', 'i.email', 'i.name', 'i.grant_kind', 'i.role', 'i.expires_at', 'i.used_at', 'i.revoked_at', 's.name as setting_name', 'c.name as cluster_name', 'c.kind as cluster_kind', 'by.name as invited_by'])
		.where('i.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row) return refuse('unknown');
	const problem = invitationProblem(row, new Date());
	if (problem) return refuse(problem);
	return {
		ok: true,
		invitation: {
			id: row.id,
			email: row.email,
			name: row.name,
			role: describeInvitationGrant(row),
			invitedBy: row.invited_by,
			expiresAt: row.expires_at.toISOString()
		}
	};
}

export const MAIL_PAGE_SIZE = 50;

/**
 * The mail the portal sent or logged, newest first, a page at a time, for the officers' outgoing-mail
 * page. Bodies of mail that went through a real SMTP server are withheld: they hold single-use
 * invitation links meant only for their recipient. Without SMTP the page is the demo's mailbox, so bodies show.
 */
export async function mailOutbox(db: Database, cursor: PageCursor = null) {
	const page = await readPage(cursor, 'desc', MAIL_PAGE_SIZE, (step, limit) => mailOutboxQuery(db, step, limit).execute());
	return { ...page, rows: page.rows.map(mailRow) };
}

/** The outgoing mail's query (the index `mail_outbox_newest` serves it), exported for its query-plan test. */
export function mailOutboxQuery(db: Database, step: KeysetStep, limit: number) {
	let query = db
		.selectFrom('mail_outbox as m')
		.select(['m.id', 'm.to_address', 'm.subject', 'm.body_text', 'm.transport', 'm.created_at', 'm.sent_at', 'm.error'])
		.orderBy('m.created_at', step.order)
		.orderBy('m.id', step.order)
		.limit(limit);
	const past = pastCursor(step, sql`(m.created_at, m.id)`, (id) => sql`select k.created_at, k.id from mail_outbox k where k.id = ${id}`);
	if (past) query = query.where(past);
	return query;
}

function mailRow(row: Awaited<ReturnType<ReturnType<typeof mailOutboxQuery>['execute']>>[number]) {
	return {
		id: row.id,
		to: row.to_address,
		subject: row.subject,
		body: row.transport === 'log' ? row.body_text : null,
		transport: row.transport as 'smtp' | 'log',
		createdAt: row.created_at.toISOString(),
		sentAt: row.sent_at?.toISOString() ?? null,
		error: row.error
	};
}
