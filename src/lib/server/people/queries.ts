import { sql } from 'kysely';
import type { Database } from '../db';
import { auditHistory } from '../audit';
import { historySummary } from '../audit-labels';
import { clustersWithParent } from '../clusters/tree';
import { notFound } from '../errors';
import { hashToken } from '../auth/session';
import { CLUSTER_ROLES, COUNTY_ROLES, SETTING_ROLES, isOneOf, type CountyRole, type GrantKind, type RoleName } from '$lib/roles';
import { peopleFilterSchema, type PeopleFilter } from '$lib/schemas/people';
import { describeGrant, INVITATION_PROBLEMS, invitationProblem, type InvitationProblem } from './rules';

// Read side of people administration. Callers (router, page loads) ask the policy first:
// these queries return personal details and must only run for council officers, except
// invitationByToken, which answers only to whoever holds the secret link.

export const PEOPLE_LIST_LIMIT = 500;
const HISTORY_LIMIT = 50;

/** Escapes LIKE wildcards so a search for "50%" finds exactly that. */
function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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

export async function listPeople(
	db: Database,
	filters: PeopleFilter = {}
): Promise<{ people: PersonListRow[]; truncated: boolean }> {
	const { search, role, status } = peopleFilterSchema.parse(filters);
	let query = db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.name', 'u.email', 'u.county_role', 'u.is_active', sql<boolean>`u.password_hash is not null`.as('has_password')])
		.orderBy(sql`lower(u.name)`)
		.orderBy('u.id')
		.limit(PEOPLE_LIST_LIMIT + 1);
	if (search) {
		const pattern = likePattern(search);
		query = query.where((eb) => eb.or([eb('u.name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
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
	const rows = await query.execute();
	const truncated = rows.length > PEOPLE_LIST_LIMIT;
	const users = rows.slice(0, PEOPLE_LIST_LIMIT);
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
	return {
		truncated,
		people: users.map((u) => {
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
		})
	};
}

/** Invitations still waiting for the invitee, newest first (for the people page). */
export async function pendingInvitations(db: Database) {
	const rows = await db
		.selectFrom('invitation as i')
		.leftJoin('setting as s', 's.id', 'i.setting_id')
		.leftJoin('cluster as c', 'c.id', 'i.cluster_id')
		.innerJoin('app_user as by', 'by.id', 'i.invited_by')
		.select(['i.id', 'i.email', 'i.name', 'i.grant_kind', 'i.role', 'i.created_at', 'i.expires_at', 's.name as setting_name', 'c.name as cluster_name', 'c.kind as cluster_kind', 'by.name as invited_by'])
		.where('i.used_at', 'is', null)
		.where('i.revoked_at', 'is', null)
		.where('i.expires_at', '>', new Date())
		.orderBy('i.created_at', 'desc')
		.orderBy('i.id', 'desc')
		.limit(200)
		.execute();
	return rows.map((row) => ({
		id: row.id,
		email: row.email,
		name: row.name,
		role: describeInvitationGrant(row),
		invitedBy: row.invited_by,
		createdAt: row.created_at.toISOString(),
		expiresAt: row.expires_at.toISOString()
	}));
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

/** Choices for the invite and add-role forms: settings under their locality, active clusters. */
export async function grantOptions(db: Database) {
	const [settings, clusters] = await Promise.all([
		db
			.selectFrom('setting as s')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.leftJoin('cluster as d', 'd.id', 'l.parent_id')
			.select(['s.id', 's.name', 's.town', 'l.name as locality_name', 'd.name as district_name'])
			.where('l.status', '=', 'active')
			.orderBy(sql`coalesce(d.name, l.name)`)
			.orderBy('l.name')
			.orderBy('s.name')
			.execute(),
		clustersWithParent(db)
			.select(['c.id', 'c.name', 'c.kind', 'p.name as parent_name'])
			.where('c.status', '=', 'active')
			.orderBy(sql`coalesce(p.name, c.name)`)
			.orderBy('c.kind')
			.orderBy('c.name')
			.execute()
	]);
	return {
		settings: settings.map((s) => ({
			id: s.id,
			name: `${s.name}, ${s.town}`,
			group: s.district_name ? `${s.locality_name} (${s.district_name})` : s.locality_name
		})),
		clusters: clusters.map((c) => ({
			id: c.id,
			name: c.kind === 'district' ? `${c.name} (district)` : `${c.name} (locality in ${c.parent_name ?? 'a district'})`,
			kind: c.kind
		}))
	};
}

export const MAIL_OUTBOX_LIMIT = 100;

/**
 * The latest mail the portal sent or logged, for the officers' outgoing-mail page. Bodies of mail
 * that went through a real SMTP server are withheld: they hold single-use invitation links meant
 * only for their recipient. Without SMTP the page is the demo's mailbox, so bodies show.
 */
export async function mailOutbox(db: Database, limit = MAIL_OUTBOX_LIMIT) {
	const rows = await db
		.selectFrom('mail_outbox')
		.select(['id', 'to_address', 'subject', 'body_text', 'transport', 'created_at', 'sent_at', 'error'])
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(Math.min(Math.max(1, limit), MAIL_OUTBOX_LIMIT))
		.execute();
	return rows.map((row) => ({
		id: row.id,
		to: row.to_address,
		subject: row.subject,
		body: row.transport === 'log' ? row.body_text : null,
		transport: row.transport as 'smtp' | 'log',
		createdAt: row.created_at.toISOString(),
		sentAt: row.sent_at?.toISOString() ?? null,
		error: row.error
	}));
}
