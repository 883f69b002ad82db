import { sql } from 'kysely';
import type { Database } from '../db';
import { auditHistory } from '../audit';
import { historySummary } from '../audit-labels';
import { notFound } from '../errors';
import { textMatches } from '../search';
import { keysetPage, newestFirst, pageQuery, timeKey, type Cursor, type KeyKind, type Keyset } from '../paging';
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

/** Cursor keys for pages of people: the name as sorted (lower case), then id. */
export const PERSON_KEY: KeyKind[] = ['text', 'int'];

/** By name (then id, so two people of one name keep their places); the index walks (lower(name), id). */
const byName = (cursor: Cursor | null): Keyset<{ sort_name: string; id: number }> => ({
	order: [sql`lower(u.name)`, sql`u.id`],
	direction: 'asc',
	keyOf: (row) => [row.sort_name, row.id],
	cursor,
	size: PEOPLE_PAGE_SIZE
});

/**
 * One page of people, by name. Searching in a name or email uses the trigram or prefix indexes
 * (`search.ts`).
 */
export async function listPeople(db: Database, filters: PeopleFilter = {}, cursor: Cursor | null = null): Promise<PeoplePage> {
	const page = await keysetPage(peopleQuery(db, peopleFilterSchema.parse(filters)), byName(cursor));
	return { people: await withRoles(db, page.items), previous: page.previous, next: page.next };
}

export interface PeoplePage {
	people: PersonListRow[];
	/** The cursors the previous and next links carry, null when there is no such page. */
	previous: string | null;
	next: string | null;
}

/** The people list's page query, exported for its query-plan test. */
export const peopleListQuery = (db: Database, filter: ReturnType<typeof peopleFilterSchema.parse>, cursor: Cursor | null) => pageQuery(peopleQuery(db, filter), byName(cursor));

function peopleQuery(db: Database, { search, role, status }: ReturnType<typeof peopleFilterSchema.parse>) {
	let query = db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.name', 'u.email', 'u.county_role', 'u.is_active', sql<boolean>`u.password_hash is not null`.as('has_password'), sql<string>`lower(u.name)`.as('sort_name')]);
	if (search) {
		query = query.where((eb) => eb.or([textMatches('u.name', search), textMatches('u.email', search)]));
	}
	if (status === 'active') query = query.where('u.is_active', '=', true);
	if (status === 'deactivated') query = query.where('u.is_active', '=', false);
	if (isOneOf(COUNTY_ROLES, role)) query = query.where('u.county_role', '=', role);
	if (isOneOf(SETTING_ROLES, role)) {
		query = query.where(({ exists, selectFrom }) =>
			exists(selectFrom('setting_membership as m').select('m.id').whereRef('m.user_id', '=', 'u.id').where('m.role', '=', role))
		);
	}
	if (isOneOf(CLUSTER_ROLES, role)) {
		query = query.where(({ exists, selectFrom }) =>
			exists(selectFrom('cluster_role as r').select('r.id').whereRef('r.user_id', '=', 'u.id').where('r.role', '=', role))
		);
	}
	if (role === 'none') {
		query = query
			.where('u.county_role', 'is', null)
			.where(({ not, exists, selectFrom }) =>
				not(exists(selectFrom('setting_membership as m').select('m.id').whereRef('m.user_id', '=', 'u.id')))
			)
			.where(({ not, exists, selectFrom }) =>
				not(exists(selectFrom('cluster_role as r').select('r.id').whereRef('r.user_id', '=', 'u.id')))
			);
	}
	return query;
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof peopleQuery>['execute']>>[number];

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
export async function pendingInvitations(db: Database, cursor: Cursor | null = null) {
	const page = await keysetPage(waitingInvitations(db), newestFirst('i', cursor, INVITATIONS_PAGE_SIZE));
	return { ...page, items: page.items.map(invitationRow) };
}

/** The waiting invitations' page query (the index `invitation_waiting` serves it), exported for its query-plan test. */
export const pendingInvitationsQuery = (db: Database, cursor: Cursor | null) => pageQuery(waitingInvitations(db), newestFirst('i', cursor, INVITATIONS_PAGE_SIZE));

function waitingInvitations(db: Database) {
	return db
		.selectFrom('invitation as i')
		.leftJoin('setting as s', 's.id', 'i.setting_id')
		.leftJoin('cluster as c', 'c.id', 'i.cluster_id')
		.innerJoin('app_user as by', 'by.id', 'i.invited_by')
		.select(['i.id', 'i.email', 'i.name', 'i.grant_kind', 'i.role', 'i.created_at', 'i.expires_at', 's.name as setting_name', 'c.name as cluster_name', 'c.kind as cluster_kind', 'by.name as invited_by', timeKey('i.created_at')])
		.where('i.used_at', 'is', null)
		.where('i.revoked_at', 'is', null)
		.where('i.expires_at', '>', new Date());
}

function invitationRow(row: Awaited<ReturnType<ReturnType<typeof waitingInvitations>['execute']>>[number]) {
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
export async function mailOutbox(db: Database, cursor: Cursor | null = null) {
	const page = await keysetPage(outgoingMail(db), newestFirst('m', cursor, MAIL_PAGE_SIZE));
	return { ...page, items: page.items.map(mailRow) };
}

/** The outgoing mail's page query (the index `mail_outbox_newest` serves it), exported for its query-plan test. */
export const mailOutboxQuery = (db: Database, cursor: Cursor | null) => pageQuery(outgoingMail(db), newestFirst('m', cursor, MAIL_PAGE_SIZE));

function outgoingMail(db: Database) {
	return db
		.selectFrom('mail_outbox as m')
		.select(['m.id', 'm.to_address', 'm.subject', 'm.body_text', 'm.transport', 'm.created_at', 'm.sent_at', 'm.error', timeKey('m.created_at')]);
}

function mailRow(row: Awaited<ReturnType<ReturnType<typeof outgoingMail>['execute']>>[number]) {
	return {
		id: row.id,
		to: row.to_address,
		subject: row.subject,
		body: row.transport === 'log' ? row.body_text : null,
		// Anything but the demo's log counts as sent by SMTP, so its body stays withheld.
		transport: row.transport === 'log' ? ('log' as const) : ('smtp' as const),
		createdAt: row.created_at.toISOString(),
		sentAt: row.sent_at?.toISOString() ?? null,
		error: row.error
	};
}
